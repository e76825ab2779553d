package io.jsplice.bench.service;

import java.util.Map;

/**
 * The service's configuration, read from {@code service.yaml}.
 *
 * @param greetings greeting templates by language, with {@code ${name}} placeholders
 */
public record Settings(String name, int poolSize, Map<String, String> greetings) {}
