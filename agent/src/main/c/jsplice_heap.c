/*
 * jsplice's heap access: finds the live instances of a class through JVMTI, so that the agent can
 * bring objects a program built before an update to the fixed state.
 *
 * Loaded by System.load from io.jsplice.agent.heap.JvmtiHeap (never at agent start: only when an
 * update has work on existing objects). JNI_OnLoad takes a JVMTI environment of its own and the one
 * capability it needs, can_tag_objects, which HotSpot grants in the live phase. Tags are private to
 * that environment, so other agents' tags are untouched.
 *
 * One walk of the heap per call, for one class, passed to JVMTI as the walk's class argument:
 * HotSpot checks each object's class against it and skips the others before it looks up any tag
 * (jvmtiTagMap.cpp: IterateOverHeapObjectClosure and is_filtered_by_klass_filter), so a walk costs
 * about one pass over the heap's memory. (A heap filter on class tags instead makes the VM look up
 * two tags in its tag table for every object of the heap: about ten times slower.) The callback
 * tags each object it is handed; GetObjectsWithTags hands them out as local references, and every
 * tag is cleared again before returning.
 *
 * The scan, IterateOverInstancesOfClass, goes through the heap linearly and takes the class's
 * subclasses too (an is_a check); it also reports garbage not yet collected. The reachable walk,
 * FollowReferences, only reports what the program can reach from the roots, following every
 * reference (slower), and only objects of exactly the class. Either runs in a VM operation: the JVM
 * is paused while it runs.
 */
#include <jni.h>
#include <jvmti.h>
#include <stdio.h>
#include <string.h>

#define OBJECT_TAG ((jlong) 0x6a73706c69636502LL) /* "jsplice" 2 */

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

/* Called only for objects of the walk's class or a subclass: tags each. */
static jvmtiIterationControl JNICALL tag_scanned(jlong class_tag, jlong size, jlong *tag_ptr,
                                                 void *user_data) {
  (void) class_tag;
  (void) size;
  (void) user_data;
  *tag_ptr = OBJECT_TAG;
  return JVMTI_ITERATION_CONTINUE;
}

/* Called once per reference to an object of the walk's class (the klass filter): tags it, and asks
 * for its references to be followed too, as an object of the class may be reachable only through
 * another one. References to other objects are followed without a call. */
static jint JNICALL tag_reached(jvmtiHeapReferenceKind kind, const jvmtiHeapReferenceInfo *info,
                                jlong class_tag, jlong referrer_class_tag, jlong size,
                                jlong *tag_ptr, jlong *referrer_tag_ptr, jint length,
                                void *user_data) {
  (void) kind;
  (void) info;
  (void) class_tag;
  (void) referrer_class_tag;
  (void) size;
  (void) referrer_tag_ptr;
  (void) length;
  (void) user_data;
  *tag_ptr = OBJECT_TAG;
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
 * When `reachable`, the objects of exactly the class `type` that the program can reach; else the
 * objects of `type` or a subclass of it, garbage not yet collected included. Null with a pending
 * IllegalStateException when JVMTI fails.
 */
JNIEXPORT jobjectArray JNICALL Java_io_jsplice_agent_heap_JvmtiHeap_instancesOf0(
    JNIEnv *jni, jclass self, jclass type, jboolean reachable) {
  (void) self;
  if (jvmti == NULL) {
    throw_state(jni, "setup", JVMTI_ERROR_MUST_POSSESS_CAPABILITY);
    return NULL;
  }
  jvmtiError error;
  if (reachable) {
    jvmtiHeapCallbacks callbacks;
    memset(&callbacks, 0, sizeof(callbacks));
    callbacks.heap_reference_callback = &tag_reached;
    error = (*jvmti)->FollowReferences(jvmti, 0, type, NULL, &callbacks, NULL);
  } else {
    error = (*jvmti)->IterateOverInstancesOfClass(jvmti, type, JVMTI_HEAP_OBJECT_EITHER,
                                                  &tag_scanned, NULL);
  }
  jint count = 0;
  jobject *objects = NULL;
  jvmtiError collected = JVMTI_ERROR_NONE;
  jlong wanted = OBJECT_TAG;
  /* Collected even after a failed walk: what it tagged must be untagged. */
  collected = (*jvmti)->GetObjectsWithTags(jvmti, 1, &wanted, &count, &objects, NULL);
  /* Untag everything, whatever happened: the tags of this environment must not outlive a call. */
  for (jint i = 0; i < count; i++) {
    (*jvmti)->SetTag(jvmti, objects[i], 0);
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
