/*
 * jsplice's heap access: finds the live instances of given classes through JVMTI, so that the agent
 * can bring objects a program built before an update to the fixed state.
 *
 * Loaded by System.load from io.jsplice.agent.heap.JvmtiHeap (never at agent start: only when an
 * update has work on existing objects). JNI_OnLoad takes a JVMTI environment of its own and the one
 * capability it needs, can_tag_objects, which HotSpot grants in the live phase. Tags are private to
 * that environment, so other agents' tags are untouched.
 *
 * One walk of the heap per call: the wanted classes are tagged; IterateThroughHeap scans the heap
 * linearly (fast, but garbage not yet collected is reported too), FollowReferences walks only what
 * the program can reach from the roots (slow on large graphs); either calls back only for objects
 * of tagged classes (JVMTI_HEAP_FILTER_CLASS_UNTAGGED), which it tags;
 * GetObjectsWithTags hands them out as local references, and every tag is cleared again before
 * returning. The walk runs in a VM operation: the JVM is paused while it runs, for a time that
 * grows with the live heap.
 */
#include <jni.h>
#include <jvmti.h>
#include <stdio.h>
#include <string.h>

#define CLASS_TAG ((jlong) 0x6a73706c69636501LL) /* "jsplice" 1 */
#define OBJECT_TAG ((jlong) 0x6a73706c69636502LL)

static jvmtiEnv *jvmti = NULL;
static const char *problem = NULL;

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
  (void) reserved;
  jvmtiEnv *env = NULL;
  if ((*vm)->GetEnv(vm, (void **) &env, JVMTI_VERSION_1_2) != JNI_OK || env == NULL) {
    problem = "the JVM offers no JVMTI 1.2 environment";
    return JNI_VERSION_1_8;
  }
  jvmtiCapabilities wanted;
  memset(&wanted, 0, sizeof(wanted));
  wanted.can_tag_objects = 1;
  if ((*env)->AddCapabilities(env, &wanted) != JVMTI_ERROR_NONE) {
    problem = "the JVM does not grant the JVMTI capability can_tag_objects";
    (*env)->DisposeEnvironment(env);
    return JNI_VERSION_1_8;
  }
  jvmti = env;
  return JNI_VERSION_1_8;
}

struct walk {
  jint found;
  jint limit;
};

static jint JNICALL tag_any(jlong class_tag, jlong size, jlong *tag_ptr, jint length,
                            void *user_data) {
  (void) size;
  (void) length;
  struct walk *walk = (struct walk *) user_data;
  if (class_tag == CLASS_TAG) {
    *tag_ptr = OBJECT_TAG;
    walk->found++;
    if (walk->limit > 0 && walk->found >= walk->limit) {
      return JVMTI_VISIT_ABORT;
    }
  }
  return 0;
}

static jint JNICALL tag_instance(jvmtiHeapReferenceKind kind,
                                 const jvmtiHeapReferenceInfo *info, jlong class_tag,
                                 jlong referrer_class_tag, jlong size, jlong *tag_ptr,
                                 jlong *referrer_tag_ptr, jint length, void *user_data) {
  (void) kind;
  (void) info;
  (void) referrer_class_tag;
  (void) size;
  (void) referrer_tag_ptr;
  (void) length;
  struct walk *walk = (struct walk *) user_data;
  if (class_tag == CLASS_TAG && *tag_ptr != OBJECT_TAG) {
    *tag_ptr = OBJECT_TAG; /* called once per reference: count each object once */
    walk->found++;
    if (walk->limit > 0 && walk->found >= walk->limit) {
      return JVMTI_VISIT_ABORT;
    }
  }
  return JVMTI_VISIT_OBJECTS;
}

static void throw_state(JNIEnv *jni, const char *what, jvmtiError error) {
  char message[160];
  char *name = NULL;
  const char *text = "unknown error";
  if (jvmti != NULL && (*jvmti)->GetErrorName(jvmti, error, &name) == JVMTI_ERROR_NONE) {
    text = name;
  }
  snprintf(message, sizeof(message), "JVMTI %s failed: %s", what, text);
  if (name != NULL) {
    (*jvmti)->Deallocate(jvmti, (unsigned char *) name);
  }
  jclass type = (*jni)->FindClass(jni, "java/lang/IllegalStateException");
  if (type != NULL) {
    (*jni)->ThrowNew(jni, type, message);
  }
}

/* Why JVMTI is not usable here, or null when it is. */
JNIEXPORT jstring JNICALL Java_io_jsplice_agent_heap_JvmtiHeap_problem0(JNIEnv *jni, jclass self) {
  (void) self;
  return problem == NULL ? NULL : (*jni)->NewStringUTF(jni, problem);
}

/*
 * The objects whose class is exactly one of `classes` (only those the program can reach when
 * `reachable`, else also garbage not yet collected), at most `limit` of them (0: all), or null with
 * a pending IllegalStateException.
 */
JNIEXPORT jobjectArray JNICALL Java_io_jsplice_agent_heap_JvmtiHeap_instancesOf0(
    JNIEnv *jni, jclass self, jobjectArray classes, jint limit, jboolean reachable) {
  (void) self;
  if (jvmti == NULL) {
    throw_state(jni, "setup", JVMTI_ERROR_MUST_POSSESS_CAPABILITY);
    return NULL;
  }
  jint n = (*jni)->GetArrayLength(jni, classes);
  jvmtiError error = JVMTI_ERROR_NONE;
  for (jint i = 0; i < n && error == JVMTI_ERROR_NONE; i++) {
    jobject c = (*jni)->GetObjectArrayElement(jni, classes, i);
    error = (*jvmti)->SetTag(jvmti, c, CLASS_TAG);
    (*jni)->DeleteLocalRef(jni, c);
  }
  struct walk walk = {0, limit};
  if (error == JVMTI_ERROR_NONE) {
    jvmtiHeapCallbacks callbacks;
    memset(&callbacks, 0, sizeof(callbacks));
    if (reachable) {
      callbacks.heap_reference_callback = &tag_instance;
      error = (*jvmti)->FollowReferences(jvmti, JVMTI_HEAP_FILTER_CLASS_UNTAGGED, NULL, NULL,
                                         &callbacks, &walk);
    } else {
      callbacks.heap_iteration_callback = &tag_any;
      error = (*jvmti)->IterateThroughHeap(jvmti, JVMTI_HEAP_FILTER_CLASS_UNTAGGED, NULL,
                                           &callbacks, &walk);
    }
  }
  jint count = 0;
  jobject *objects = NULL;
  jvmtiError collected = JVMTI_ERROR_NONE;
  if (error == JVMTI_ERROR_NONE) {
    jlong wanted = OBJECT_TAG;
    collected = (*jvmti)->GetObjectsWithTags(jvmti, 1, &wanted, &count, &objects, NULL);
  }
  /* Untag everything, whatever happened: the tags of this environment must not outlive a call. */
  for (jint i = 0; i < count; i++) {
    (*jvmti)->SetTag(jvmti, objects[i], 0);
  }
  for (jint i = 0; i < n; i++) {
    jobject c = (*jni)->GetObjectArrayElement(jni, classes, i);
    (*jvmti)->SetTag(jvmti, c, 0);
    (*jni)->DeleteLocalRef(jni, c);
  }
  if (error != JVMTI_ERROR_NONE || collected != JVMTI_ERROR_NONE) {
    if (objects != NULL) {
      for (jint i = 0; i < count; i++) {
        (*jni)->DeleteLocalRef(jni, objects[i]);
      }
      (*jvmti)->Deallocate(jvmti, (unsigned char *) objects);
    }
    throw_state(jni, error != JVMTI_ERROR_NONE ? "heap walk" : "GetObjectsWithTags",
                error != JVMTI_ERROR_NONE ? error : collected);
    return NULL;
  }
  jclass object_class = (*jni)->FindClass(jni, "java/lang/Object");
  jobjectArray out =
      object_class == NULL ? NULL : (*jni)->NewObjectArray(jni, count, object_class, NULL);
  for (jint i = 0; i < count; i++) {
    if (out != NULL) {
      (*jni)->SetObjectArrayElement(jni, out, i, objects[i]);
    }
    (*jni)->DeleteLocalRef(jni, objects[i]);
  }
  if (objects != NULL) {
    (*jvmti)->Deallocate(jvmti, (unsigned char *) objects);
  }
  return out;
}
