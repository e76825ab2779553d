package io.jsplice.bench.service;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** An order as the service stores and serves it. */
public record Order(
    long id,
    @NotBlank @Size(max = 100) String customer,
    @PositiveOrZero long cents,
    @NotNull Instant placedAt) {}
