/* virjson.h: JSON values, parsed and formatted with yajl behind this one API. */
#pragma once

#include <stdarg.h>

#include "internal.h"

/* Parse limits. QMP replies are the largest input: a query-qmp-schema reply is about
 * 200 KiB and a query-rx-filter reply before the guest driver loads about 20 KiB, so
 * 10 MiB (the monitor's line bound) leaves room while stopping a runaway peer. No
 * real document nests deeper than a dozen levels; 127 keeps recursion in
 * virJSONValueFree/format bounded and is the deepest nesting yajl_gen can emit (it
 * refuses to open level YAJL_MAX_DEPTH, 128), so every parsed document formats back. */
#define VIR_JSON_MAX_INPUT_SIZE (10 * 1024 * 1024)
#define VIR_JSON_MAX_DEPTH 127

typedef enum {
    VIR_JSON_TYPE_OBJECT,
    VIR_JSON_TYPE_ARRAY,
    VIR_JSON_TYPE_STRING,
    VIR_JSON_TYPE_NUMBER,
    VIR_JSON_TYPE_BOOLEAN,
    VIR_JSON_TYPE_NULL,

    VIR_JSON_TYPE_LAST
} virJSONType;

typedef struct _virJSONValue virJSONValue;

/*
 * Error convention: functions returning int return 0 on success and -1 on failure;
 * functions returning a pointer return NULL on failure. Parse, format and the
 * "Require" getters report an error (virReportError, VIR_FROM_NONE domain,
 * VIR_ERR_INTERNAL_ERROR or VIR_ERR_INVALID_ARG); the plain getters
 * (virJSONValueObjectGet*) fail silently so callers can choose the message.
 */

void virJSONValueFree(virJSONValue *value);   /* NULL is a no-op */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virJSONValue, virJSONValueFree);

virJSONType virJSONValueGetType(const virJSONValue *value);
const char *virJSONTypeToString(virJSONType type);

/* Constructors (never NULL). Numbers keep their text, so 64-bit integers survive. */
virJSONValue *virJSONValueNewObject(void);
virJSONValue *virJSONValueNewArray(void);
virJSONValue *virJSONValueNewString(const char *str);
virJSONValue *virJSONValueNewNumberLong(long long value);
virJSONValue *virJSONValueNewNumberUlong(unsigned long long value);
virJSONValue *virJSONValueNewNumberDouble(double value);
virJSONValue *virJSONValueNewBoolean(bool value);
virJSONValue *virJSONValueNewNull(void);

/* Object members keep insertion order. Appending takes ownership of @value (also on
 * failure: -1 only when @key already exists, reported). */
int virJSONValueObjectAppend(virJSONValue *object, const char *key, virJSONValue **value);
int virJSONValueObjectAppendString(virJSONValue *object, const char *key, const char *value);
int virJSONValueObjectAppendNumberLong(virJSONValue *object, const char *key, long long value);
int virJSONValueObjectAppendNumberUlong(virJSONValue *object, const char *key,
                                        unsigned long long value);
int virJSONValueObjectAppendBoolean(virJSONValue *object, const char *key, bool value);

/* Builds an object from (type, key, value) triples ended by NULL. Keys are prefixed:
 * "s:" string, "S:" string skipped when NULL, "i:" int, "I:" long long, "u:" unsigned
 * long long, "b:" bool (int), "a:" virJSONValue ** (taken), "A:" the same, skipped
 * when NULL. Returns NULL with an error on a bad key. */
virJSONValue *virJSONValueObjectBuild(const char *key, ...) G_GNUC_NULL_TERMINATED;
/* The same from a va_list, for builders with arguments of their own. */
virJSONValue *virJSONValueObjectBuildArgs(const char *key, va_list args);

size_t virJSONValueObjectSize(const virJSONValue *object);
const char *virJSONValueObjectGetKey(const virJSONValue *object, size_t n);
virJSONValue *virJSONValueObjectGetValue(virJSONValue *object, size_t n);
bool virJSONValueObjectHasKey(const virJSONValue *object, const char *key);

/* Member lookup; NULL when absent or when @object is not an object. */
virJSONValue *virJSONValueObjectGet(virJSONValue *object, const char *key);
/* Member lookup of a given type; NULL when absent or of another type. */
virJSONValue *virJSONValueObjectGetByType(virJSONValue *object, const char *key,
                                          virJSONType type);
/* Removes the member and hands it to the caller, or NULL. */
virJSONValue *virJSONValueObjectSteal(virJSONValue *object, const char *key);

/* Typed member getters: -1 (or NULL) when absent, of another type, or out of range. */
const char *virJSONValueObjectGetString(virJSONValue *object, const char *key);
int virJSONValueObjectGetNumberInt(virJSONValue *object, const char *key, int *value);
int virJSONValueObjectGetNumberUint(virJSONValue *object, const char *key,
                                    unsigned int *value);
int virJSONValueObjectGetNumberLong(virJSONValue *object, const char *key,
                                    long long *value);
int virJSONValueObjectGetNumberUlong(virJSONValue *object, const char *key,
                                     unsigned long long *value);
int virJSONValueObjectGetNumberDouble(virJSONValue *object, const char *key, double *value);
int virJSONValueObjectGetBoolean(virJSONValue *object, const char *key, bool *value);
virJSONValue *virJSONValueObjectGetObject(virJSONValue *object, const char *key);
virJSONValue *virJSONValueObjectGetArray(virJSONValue *object, const char *key);

/* Arrays. Append takes ownership of @value. */
int virJSONValueArrayAppend(virJSONValue *array, virJSONValue **value);
int virJSONValueArrayAppendString(virJSONValue *array, const char *value);
size_t virJSONValueArraySize(const virJSONValue *array);
virJSONValue *virJSONValueArrayGet(virJSONValue *array, size_t n);

/* Scalar getters on a value itself. */
const char *virJSONValueGetString(virJSONValue *value);
int virJSONValueGetNumberInt(virJSONValue *value, int *ret);
int virJSONValueGetNumberUint(virJSONValue *value, unsigned int *ret);
int virJSONValueGetNumberLong(virJSONValue *value, long long *ret);
int virJSONValueGetNumberUlong(virJSONValue *value, unsigned long long *ret);
int virJSONValueGetNumberDouble(virJSONValue *value, double *ret);
int virJSONValueGetBoolean(virJSONValue *value, bool *ret);
bool virJSONValueIsNull(const virJSONValue *value);

/* Deep copy (never NULL for a non-NULL input). */
virJSONValue *virJSONValueCopy(const virJSONValue *value);

/* Parses one complete JSON document of @len bytes (need not be NUL-terminated).
 * Over VIR_JSON_MAX_INPUT_SIZE, deeper than VIR_JSON_MAX_DEPTH, invalid JSON or
 * invalid UTF-8, trailing data: NULL with an error that says which. */
virJSONValue *virJSONValueFromBuffer(const char *data, size_t len);
virJSONValue *virJSONValueFromString(const char *str);

/* Formats compactly on one line, or indented with @pretty. */
char *virJSONValueToString(const virJSONValue *value, bool pretty);
