/* virjson.c: JSON values, parsed with yajl's callback parser and formatted with yajl_gen. */
#include <config.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>

#include "virjson.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_NONE

VIR_LOG_INIT("util.json");

/* Objects with more members than this also get a hash index (built on append), so a
 * hostile document with a huge object cannot make duplicate checks quadratic. QMP
 * objects are far smaller and stay plain arrays searched linearly. */
#define VIR_JSON_OBJECT_INDEX_THRESHOLD 32

typedef struct {
    char *key;
    virJSONValue *value;
} virJSONObjectPair;

struct _virJSONValue {
    virJSONType type;
    union {
        struct {
            virJSONObjectPair *pairs;
            size_t npairs;
            size_t alloc;
            GHashTable *index;   /* key (borrowed) -> position + 1, or NULL */
        } object;
        struct {
            virJSONValue **values;
            size_t nvalues;
            size_t alloc;
        } array;
        char *str;               /* VIR_JSON_TYPE_STRING and the text of a NUMBER */
        bool boolean;
    } data;
};


static const char *const virJSONTypeNames[VIR_JSON_TYPE_LAST] = {
    [VIR_JSON_TYPE_OBJECT] = "object",
    [VIR_JSON_TYPE_ARRAY] = "array",
    [VIR_JSON_TYPE_STRING] = "string",
    [VIR_JSON_TYPE_NUMBER] = "number",
    [VIR_JSON_TYPE_BOOLEAN] = "boolean",
    [VIR_JSON_TYPE_NULL] = "null",
};


const char *
virJSONTypeToString(virJSONType type)
{
    if ((int)type < 0 || type >= VIR_JSON_TYPE_LAST)
        return "unknown";
    return virJSONTypeNames[type];
}


void
virJSONValueFree(virJSONValue *value)
{
    size_t i;

    if (!value)
        return;

    switch (value->type) {
    case VIR_JSON_TYPE_OBJECT:
        if (value->data.object.index)
            g_hash_table_unref(value->data.object.index);
        for (i = 0; i < value->data.object.npairs; i++) {
            g_free(value->data.object.pairs[i].key);
            virJSONValueFree(value->data.object.pairs[i].value);
        }
        g_free(value->data.object.pairs);
        break;
    case VIR_JSON_TYPE_ARRAY:
        for (i = 0; i < value->data.array.nvalues; i++)
            virJSONValueFree(value->data.array.values[i]);
        g_free(value->data.array.values);
        break;
    case VIR_JSON_TYPE_STRING:
    case VIR_JSON_TYPE_NUMBER:
        g_free(value->data.str);
        break;
    case VIR_JSON_TYPE_BOOLEAN:
    case VIR_JSON_TYPE_NULL:
    case VIR_JSON_TYPE_LAST:
        break;
    }
    g_free(value);
}


virJSONType
virJSONValueGetType(const virJSONValue *value)
{
    return value->type;
}


static virJSONValue *
virJSONValueNew(virJSONType type)
{
    virJSONValue *value = g_new0(virJSONValue, 1);

    value->type = type;
    return value;
}


virJSONValue *
virJSONValueNewObject(void)
{
    return virJSONValueNew(VIR_JSON_TYPE_OBJECT);
}


virJSONValue *
virJSONValueNewArray(void)
{
    return virJSONValueNew(VIR_JSON_TYPE_ARRAY);
}


virJSONValue *
virJSONValueNewString(const char *str)
{
    virJSONValue *value = virJSONValueNew(VIR_JSON_TYPE_STRING);

    value->data.str = g_strdup(str ? str : "");
    return value;
}


/* Takes ownership of @text, which must be a valid JSON number. */
static virJSONValue *
virJSONValueNewNumberText(char *text)
{
    virJSONValue *value = virJSONValueNew(VIR_JSON_TYPE_NUMBER);

    value->data.str = text;
    return value;
}


virJSONValue *
virJSONValueNewNumberLong(long long value)
{
    return virJSONValueNewNumberText(g_strdup_printf("%lld", value));
}


virJSONValue *
virJSONValueNewNumberUlong(unsigned long long value)
{
    return virJSONValueNewNumberText(g_strdup_printf("%llu", value));
}


virJSONValue *
virJSONValueNewNumberDouble(double value)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    /* The shortest of the two precisions that reads back to the same double. A
     * non-finite value keeps its text ("nan", "inf") and fails to format. */
    g_ascii_formatd(buf, sizeof(buf), "%.15g", value);
    if (isfinite(value) && g_ascii_strtod(buf, NULL) != value)
        g_ascii_formatd(buf, sizeof(buf), "%.17g", value);
    return virJSONValueNewNumberText(g_strdup(buf));
}


virJSONValue *
virJSONValueNewBoolean(bool value)
{
    virJSONValue *ret = virJSONValueNew(VIR_JSON_TYPE_BOOLEAN);

    ret->data.boolean = value;
    return ret;
}


virJSONValue *
virJSONValueNewNull(void)
{
    return virJSONValueNew(VIR_JSON_TYPE_NULL);
}


/* Objects */

static void
virJSONObjectIndexBuild(virJSONValue *object)
{
    size_t i;

    if (object->data.object.index)
        g_hash_table_unref(object->data.object.index);
    object->data.object.index = g_hash_table_new(g_str_hash, g_str_equal);
    for (i = 0; i < object->data.object.npairs; i++)
        g_hash_table_insert(object->data.object.index, object->data.object.pairs[i].key,
                            GSIZE_TO_POINTER(i + 1));
}


/* Position of @key in @object, or -1. */
static ssize_t
virJSONObjectFind(const virJSONValue *object, const char *key)
{
    size_t i;

    if (object->data.object.index) {
        gpointer pos = g_hash_table_lookup(object->data.object.index, key);

        return pos ? (ssize_t)GPOINTER_TO_SIZE(pos) - 1 : -1;
    }
    for (i = 0; i < object->data.object.npairs; i++) {
        if (STREQ(object->data.object.pairs[i].key, key))
            return i;
    }
    return -1;
}


/* Appends without a duplicate check; takes @key and @value. */
static void
virJSONObjectAppendPair(virJSONValue *object, char *key, virJSONValue *value)
{
    size_t n = object->data.object.npairs;

    if (n == object->data.object.alloc) {
        object->data.object.alloc = object->data.object.alloc ? object->data.object.alloc * 2 : 4;
        object->data.object.pairs = g_renew(virJSONObjectPair, object->data.object.pairs,
                                            object->data.object.alloc);
    }
    object->data.object.pairs[n].key = key;
    object->data.object.pairs[n].value = value;
    object->data.object.npairs = n + 1;

    if (object->data.object.index)
        g_hash_table_insert(object->data.object.index, key, GSIZE_TO_POINTER(n + 1));
    else if (n + 1 > VIR_JSON_OBJECT_INDEX_THRESHOLD)
        virJSONObjectIndexBuild(object);
}


int
virJSONValueObjectAppend(virJSONValue *object, const char *key, virJSONValue **value)
{
    g_autoptr(virJSONValue) val = g_steal_pointer(value);

    if (!object || object->type != VIR_JSON_TYPE_OBJECT) {
        virReportError(VIR_ERR_INVALID_ARG,
                       _("Cannot add member '%1$s': the JSON value is not an object."),
                       NULLSTR(key));
        return -1;
    }
    if (!key || !val) {
        virReportError(VIR_ERR_INVALID_ARG,
                       _("Cannot add member '%1$s' to a JSON object: key and value are required."),
                       NULLSTR(key));
        return -1;
    }
    if (virJSONObjectFind(object, key) >= 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       _("Duplicate key '%1$s' in JSON object."), key);
        return -1;
    }
    virJSONObjectAppendPair(object, g_strdup(key), g_steal_pointer(&val));
    return 0;
}


int
virJSONValueObjectAppendString(virJSONValue *object, const char *key, const char *value)
{
    g_autoptr(virJSONValue) val = virJSONValueNewString(value);

    return virJSONValueObjectAppend(object, key, &val);
}


int
virJSONValueObjectAppendNumberLong(virJSONValue *object, const char *key, long long value)
{
    g_autoptr(virJSONValue) val = virJSONValueNewNumberLong(value);

    return virJSONValueObjectAppend(object, key, &val);
}


int
virJSONValueObjectAppendNumberUlong(virJSONValue *object, const char *key,
                                    unsigned long long value)
{
    g_autoptr(virJSONValue) val = virJSONValueNewNumberUlong(value);

    return virJSONValueObjectAppend(object, key, &val);
}


int
virJSONValueObjectAppendBoolean(virJSONValue *object, const char *key, bool value)
{
    g_autoptr(virJSONValue) val = virJSONValueNewBoolean(value);

    return virJSONValueObjectAppend(object, key, &val);
}


virJSONValue *
virJSONValueObjectBuildArgs(const char *key, va_list args)
{
    g_autoptr(virJSONValue) object = virJSONValueNewObject();

    for (; key; key = va_arg(args, const char *)) {
        g_autoptr(virJSONValue) val = NULL;
        const char *name = key + 2;

        if (strlen(key) < 3 || key[1] != ':') {
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           _("Invalid key '%1$s' for a JSON object: expected a type prefix such as 's:'."),
                           key);
            return NULL;
        }

        switch (key[0]) {
        case 's':
        case 'S': {
            const char *str = va_arg(args, const char *);

            if (!str) {
                if (key[0] == 'S')
                    continue;
                virReportError(VIR_ERR_INTERNAL_ERROR,
                               _("Value of JSON object member '%1$s' must not be NULL."), name);
                return NULL;
            }
            val = virJSONValueNewString(str);
            break;
        }
        case 'i':
            val = virJSONValueNewNumberLong(va_arg(args, int));
            break;
        case 'I':
            val = virJSONValueNewNumberLong(va_arg(args, long long));
            break;
        case 'u':
            val = virJSONValueNewNumberUlong(va_arg(args, unsigned long long));
            break;
        case 'b':
            val = virJSONValueNewBoolean(va_arg(args, int) != 0);
            break;
        case 'a':
        case 'A': {
            virJSONValue **ptr = va_arg(args, virJSONValue **);

            if (!ptr || !*ptr) {
                if (key[0] == 'A')
                    continue;
                virReportError(VIR_ERR_INTERNAL_ERROR,
                               _("Value of JSON object member '%1$s' must not be NULL."), name);
                return NULL;
            }
            val = g_steal_pointer(ptr);
            break;
        }
        default:
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           _("Invalid type prefix '%1$c' in key '%2$s' for a JSON object."),
                           key[0], key);
            return NULL;
        }

        if (virJSONValueObjectAppend(object, name, &val) < 0)
            return NULL;
    }
    return g_steal_pointer(&object);
}


virJSONValue *
virJSONValueObjectBuild(const char *key, ...)
{
    virJSONValue *object;
    va_list args;

    va_start(args, key);
    object = virJSONValueObjectBuildArgs(key, args);
    va_end(args);
    return object;
}


size_t
virJSONValueObjectSize(const virJSONValue *object)
{
    if (!object || object->type != VIR_JSON_TYPE_OBJECT)
        return 0;
    return object->data.object.npairs;
}


const char *
virJSONValueObjectGetKey(const virJSONValue *object, size_t n)
{
    if (!object || object->type != VIR_JSON_TYPE_OBJECT || n >= object->data.object.npairs)
        return NULL;
    return object->data.object.pairs[n].key;
}


virJSONValue *
virJSONValueObjectGetValue(virJSONValue *object, size_t n)
{
    if (!object || object->type != VIR_JSON_TYPE_OBJECT || n >= object->data.object.npairs)
        return NULL;
    return object->data.object.pairs[n].value;
}


bool
virJSONValueObjectHasKey(const virJSONValue *object, const char *key)
{
    if (!object || !key || object->type != VIR_JSON_TYPE_OBJECT)
        return false;
    return virJSONObjectFind(object, key) >= 0;
}


virJSONValue *
virJSONValueObjectGet(virJSONValue *object, const char *key)
{
    ssize_t pos;

    if (!object || !key || object->type != VIR_JSON_TYPE_OBJECT)
        return NULL;
    if ((pos = virJSONObjectFind(object, key)) < 0)
        return NULL;
    return object->data.object.pairs[pos].value;
}


virJSONValue *
virJSONValueObjectGetByType(virJSONValue *object, const char *key, virJSONType type)
{
    virJSONValue *value = virJSONValueObjectGet(object, key);

    if (!value || value->type != type)
        return NULL;
    return value;
}


virJSONValue *
virJSONValueObjectSteal(virJSONValue *object, const char *key)
{
    virJSONValue *value;
    ssize_t pos;

    if (!object || !key || object->type != VIR_JSON_TYPE_OBJECT)
        return NULL;
    if ((pos = virJSONObjectFind(object, key)) < 0)
        return NULL;

    /* Positions after @pos shift; the index is rebuilt on the next append. */
    g_clear_pointer(&object->data.object.index, g_hash_table_unref);
    value = object->data.object.pairs[pos].value;
    g_free(object->data.object.pairs[pos].key);
    memmove(object->data.object.pairs + pos, object->data.object.pairs + pos + 1,
            sizeof(virJSONObjectPair) * (object->data.object.npairs - pos - 1));
    object->data.object.npairs--;
    return value;
}


const char *
virJSONValueObjectGetString(virJSONValue *object, const char *key)
{
    return virJSONValueGetString(virJSONValueObjectGet(object, key));
}


int
virJSONValueObjectGetNumberInt(virJSONValue *object, const char *key, int *value)
{
    return virJSONValueGetNumberInt(virJSONValueObjectGet(object, key), value);
}


int
virJSONValueObjectGetNumberUint(virJSONValue *object, const char *key, unsigned int *value)
{
    return virJSONValueGetNumberUint(virJSONValueObjectGet(object, key), value);
}


int
virJSONValueObjectGetNumberLong(virJSONValue *object, const char *key, long long *value)
{
    return virJSONValueGetNumberLong(virJSONValueObjectGet(object, key), value);
}


int
virJSONValueObjectGetNumberUlong(virJSONValue *object, const char *key,
                                 unsigned long long *value)
{
    return virJSONValueGetNumberUlong(virJSONValueObjectGet(object, key), value);
}


int
virJSONValueObjectGetNumberDouble(virJSONValue *object, const char *key, double *value)
{
    return virJSONValueGetNumberDouble(virJSONValueObjectGet(object, key), value);
}


int
virJSONValueObjectGetBoolean(virJSONValue *object, const char *key, bool *value)
{
    return virJSONValueGetBoolean(virJSONValueObjectGet(object, key), value);
}


virJSONValue *
virJSONValueObjectGetObject(virJSONValue *object, const char *key)
{
    return virJSONValueObjectGetByType(object, key, VIR_JSON_TYPE_OBJECT);
}


virJSONValue *
virJSONValueObjectGetArray(virJSONValue *object, const char *key)
{
    return virJSONValueObjectGetByType(object, key, VIR_JSON_TYPE_ARRAY);
}


/* Arrays */

static void
virJSONArrayAppendValue(virJSONValue *array, virJSONValue *value)
{
    if (array->data.array.nvalues == array->data.array.alloc) {
        array->data.array.alloc = array->data.array.alloc ? array->data.array.alloc * 2 : 4;
        array->data.array.values = g_renew(virJSONValue *, array->data.array.values,
                                           array->data.array.alloc);
    }
    array->data.array.values[array->data.array.nvalues++] = value;
}


int
virJSONValueArrayAppend(virJSONValue *array, virJSONValue **value)
{
    g_autoptr(virJSONValue) val = g_steal_pointer(value);

    if (!array || array->type != VIR_JSON_TYPE_ARRAY) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       _("Cannot append an element: the JSON value is not an array."));
        return -1;
    }
    if (!val) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       _("Cannot append a missing element to a JSON array."));
        return -1;
    }
    virJSONArrayAppendValue(array, g_steal_pointer(&val));
    return 0;
}


int
virJSONValueArrayAppendString(virJSONValue *array, const char *value)
{
    g_autoptr(virJSONValue) val = virJSONValueNewString(value);

    return virJSONValueArrayAppend(array, &val);
}


size_t
virJSONValueArraySize(const virJSONValue *array)
{
    if (!array || array->type != VIR_JSON_TYPE_ARRAY)
        return 0;
    return array->data.array.nvalues;
}


virJSONValue *
virJSONValueArrayGet(virJSONValue *array, size_t n)
{
    if (!array || array->type != VIR_JSON_TYPE_ARRAY || n >= array->data.array.nvalues)
        return NULL;
    return array->data.array.values[n];
}


/* Scalars */

const char *
virJSONValueGetString(virJSONValue *value)
{
    if (!value || value->type != VIR_JSON_TYPE_STRING)
        return NULL;
    return value->data.str;
}


int
virJSONValueGetNumberLong(virJSONValue *value, long long *ret)
{
    gint64 num;

    if (!value || value->type != VIR_JSON_TYPE_NUMBER ||
        !g_ascii_string_to_signed(value->data.str, 10, G_MININT64, G_MAXINT64, &num, NULL))
        return -1;
    *ret = num;
    return 0;
}


int
virJSONValueGetNumberUlong(virJSONValue *value, unsigned long long *ret)
{
    guint64 num;

    if (!value || value->type != VIR_JSON_TYPE_NUMBER ||
        !g_ascii_string_to_unsigned(value->data.str, 10, 0, G_MAXUINT64, &num, NULL))
        return -1;
    *ret = num;
    return 0;
}


int
virJSONValueGetNumberInt(virJSONValue *value, int *ret)
{
    gint64 num;

    if (!value || value->type != VIR_JSON_TYPE_NUMBER ||
        !g_ascii_string_to_signed(value->data.str, 10, G_MININT, G_MAXINT, &num, NULL))
        return -1;
    *ret = num;
    return 0;
}


int
virJSONValueGetNumberUint(virJSONValue *value, unsigned int *ret)
{
    guint64 num;

    if (!value || value->type != VIR_JSON_TYPE_NUMBER ||
        !g_ascii_string_to_unsigned(value->data.str, 10, 0, G_MAXUINT, &num, NULL))
        return -1;
    *ret = num;
    return 0;
}


int
virJSONValueGetNumberDouble(virJSONValue *value, double *ret)
{
    char *end = NULL;
    double num;

    if (!value || value->type != VIR_JSON_TYPE_NUMBER)
        return -1;
    /* Overflow gives infinity, refused; underflow rounds towards zero, accepted. */
    num = g_ascii_strtod(value->data.str, &end);
    if (end == value->data.str || *end != '\0' || !isfinite(num))
        return -1;
    *ret = num;
    return 0;
}


int
virJSONValueGetBoolean(virJSONValue *value, bool *ret)
{
    if (!value || value->type != VIR_JSON_TYPE_BOOLEAN)
        return -1;
    *ret = value->data.boolean;
    return 0;
}


bool
virJSONValueIsNull(const virJSONValue *value)
{
    return value && value->type == VIR_JSON_TYPE_NULL;
}


virJSONValue *
virJSONValueCopy(const virJSONValue *value)
{
    virJSONValue *copy;
    size_t i;

    if (!value)
        return NULL;

    copy = virJSONValueNew(value->type);
    switch (value->type) {
    case VIR_JSON_TYPE_OBJECT:
        copy->data.object.alloc = value->data.object.npairs;
        copy->data.object.pairs = g_new0(virJSONObjectPair, copy->data.object.alloc);
        for (i = 0; i < value->data.object.npairs; i++) {
            copy->data.object.pairs[i].key = g_strdup(value->data.object.pairs[i].key);
            copy->data.object.pairs[i].value = virJSONValueCopy(value->data.object.pairs[i].value);
        }
        copy->data.object.npairs = value->data.object.npairs;
        if (copy->data.object.npairs > VIR_JSON_OBJECT_INDEX_THRESHOLD)
            virJSONObjectIndexBuild(copy);
        break;
    case VIR_JSON_TYPE_ARRAY:
        copy->data.array.alloc = value->data.array.nvalues;
        copy->data.array.values = g_new0(virJSONValue *, copy->data.array.alloc);
        for (i = 0; i < value->data.array.nvalues; i++)
            copy->data.array.values[i] = virJSONValueCopy(value->data.array.values[i]);
        copy->data.array.nvalues = value->data.array.nvalues;
        break;
    case VIR_JSON_TYPE_STRING:
    case VIR_JSON_TYPE_NUMBER:
        copy->data.str = g_strdup(value->data.str);
        break;
    case VIR_JSON_TYPE_BOOLEAN:
        copy->data.boolean = value->data.boolean;
        break;
    case VIR_JSON_TYPE_NULL:
    case VIR_JSON_TYPE_LAST:
        break;
    }
    return copy;
}


/* Parsing: yajl's callbacks build the tree; each container is attached to its parent
 * when it opens, so @root owns everything built so far and is all a failure frees. */

typedef struct {
    virJSONValue *root;
    virJSONValue *stack[VIR_JSON_MAX_DEPTH];
    size_t depth;
    char *key;         /* pending member name of the innermost object */
    bool reported;     /* a callback cancelled the parse and reported why */
} virJSONParser;


static void
virJSONParserInsert(virJSONParser *parser, virJSONValue *value)
{
    virJSONValue *parent;

    if (parser->depth == 0) {
        parser->root = value;
        return;
    }
    parent = parser->stack[parser->depth - 1];
    if (parent->type == VIR_JSON_TYPE_ARRAY)
        virJSONArrayAppendValue(parent, value);
    else
        virJSONObjectAppendPair(parent, g_steal_pointer(&parser->key), value);
}


static bool
virJSONParserCheckNul(virJSONParser *parser, const unsigned char *str, size_t len)
{
    if (memchr(str, '\0', len)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       _("Cannot parse JSON: a string contains a NUL character (\\u0000)."));
        parser->reported = true;
        return false;
    }
    return true;
}


static int
virJSONParserHandleNull(void *ctx)
{
    virJSONParserInsert(ctx, virJSONValueNewNull());
    return 1;
}


static int
virJSONParserHandleBoolean(void *ctx, int value)
{
    virJSONParserInsert(ctx, virJSONValueNewBoolean(value != 0));
    return 1;
}


static int
virJSONParserHandleNumber(void *ctx, const char *str, size_t len)
{
    virJSONParserInsert(ctx, virJSONValueNewNumberText(g_strndup(str, len)));
    return 1;
}


static int
virJSONParserHandleString(void *ctx, const unsigned char *str, size_t len)
{
    virJSONParser *parser = ctx;
    virJSONValue *value;

    if (!virJSONParserCheckNul(parser, str, len))
        return 0;
    value = virJSONValueNew(VIR_JSON_TYPE_STRING);
    value->data.str = g_strndup((const char *)str, len);
    virJSONParserInsert(parser, value);
    return 1;
}


static int
virJSONParserHandleMapKey(void *ctx, const unsigned char *str, size_t len)
{
    virJSONParser *parser = ctx;
    g_autofree char *key = NULL;

    if (!virJSONParserCheckNul(parser, str, len))
        return 0;
    key = g_strndup((const char *)str, len);
    if (virJSONObjectFind(parser->stack[parser->depth - 1], key) >= 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       _("Duplicate key '%1$s' in JSON object."), key);
        parser->reported = true;
        return 0;
    }
    g_free(parser->key);
    parser->key = g_steal_pointer(&key);
    return 1;
}


static int
virJSONParserOpen(virJSONParser *parser, virJSONType type)
{
    virJSONValue *value;

    if (parser->depth == VIR_JSON_MAX_DEPTH) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       _("JSON nesting is deeper than %1$d levels."), VIR_JSON_MAX_DEPTH);
        parser->reported = true;
        return 0;
    }
    value = virJSONValueNew(type);
    virJSONParserInsert(parser, value);
    parser->stack[parser->depth++] = value;
    return 1;
}


static int
virJSONParserHandleStartMap(void *ctx)
{
    return virJSONParserOpen(ctx, VIR_JSON_TYPE_OBJECT);
}


static int
virJSONParserHandleStartArray(void *ctx)
{
    return virJSONParserOpen(ctx, VIR_JSON_TYPE_ARRAY);
}


static int
virJSONParserHandleClose(void *ctx)
{
    virJSONParser *parser = ctx;

    parser->depth--;
    return 1;
}


static const yajl_callbacks virJSONParserCallbacks = {
    .yajl_null = virJSONParserHandleNull,
    .yajl_boolean = virJSONParserHandleBoolean,
    .yajl_integer = NULL,
    .yajl_double = NULL,
    .yajl_number = virJSONParserHandleNumber,
    .yajl_string = virJSONParserHandleString,
    .yajl_start_map = virJSONParserHandleStartMap,
    .yajl_map_key = virJSONParserHandleMapKey,
    .yajl_end_map = virJSONParserHandleClose,
    .yajl_start_array = virJSONParserHandleStartArray,
    .yajl_end_array = virJSONParserHandleClose,
};


virJSONValue *
virJSONValueFromBuffer(const char *data, size_t len)
{
    virJSONParser parser = { 0 };
    yajl_handle handle;
    yajl_status status;

    if (len > VIR_JSON_MAX_INPUT_SIZE) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       _("JSON document of %1$zu bytes is over the limit of %2$d bytes."),
                       len, VIR_JSON_MAX_INPUT_SIZE);
        return NULL;
    }
    if (len == 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       _("Cannot parse JSON: the document is empty."));
        return NULL;
    }

    handle = yajl_alloc(&virJSONParserCallbacks, NULL, &parser);
    yajl_config(handle, yajl_allow_comments, 0);
    yajl_config(handle, yajl_allow_multiple_values, 0);
    yajl_config(handle, yajl_allow_trailing_garbage, 0);
    yajl_config(handle, yajl_allow_partial_values, 0);

    status = yajl_parse(handle, (const unsigned char *)data, len);
    if (status == yajl_status_ok)
        status = yajl_complete_parse(handle);

    if (status != yajl_status_ok || !parser.root) {
        if (!parser.reported) {
            unsigned char *err = yajl_get_error(handle, 0, (const unsigned char *)data, len);
            g_autofree char *msg = g_strdup(err ? (const char *)err : "unknown error");

            if (err)
                yajl_free_error(handle, err);
            virReportError(VIR_ERR_INTERNAL_ERROR, _("Cannot parse JSON: %1$s"),
                           g_strstrip(msg));
        }
        yajl_free(handle);
        g_free(parser.key);
        virJSONValueFree(parser.root);
        return NULL;
    }

    yajl_free(handle);
    g_free(parser.key);
    return parser.root;
}


virJSONValue *
virJSONValueFromString(const char *str)
{
    if (!str) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       _("Cannot parse JSON: no document was given."));
        return NULL;
    }
    return virJSONValueFromBuffer(str, strlen(str));
}


/* Formatting */

static bool
virJSONNumberTextIsFinite(const char *text)
{
    if (*text == '-')
        text++;
    return g_ascii_isdigit(*text);
}


/* Returns 0, or -1 after reporting an error. */
static int
virJSONValueToGen(const virJSONValue *value, yajl_gen gen)
{
    yajl_gen_status status = yajl_gen_status_ok;
    size_t i;

    switch (value->type) {
    case VIR_JSON_TYPE_OBJECT:
        if ((status = yajl_gen_map_open(gen)) != yajl_gen_status_ok)
            break;
        for (i = 0; i < value->data.object.npairs; i++) {
            const virJSONObjectPair *pair = &value->data.object.pairs[i];

            status = yajl_gen_string(gen, (const unsigned char *)pair->key, strlen(pair->key));
            if (status != yajl_gen_status_ok)
                break;
            if (virJSONValueToGen(pair->value, gen) < 0)
                return -1;
        }
        if (status == yajl_gen_status_ok)
            status = yajl_gen_map_close(gen);
        break;
    case VIR_JSON_TYPE_ARRAY:
        if ((status = yajl_gen_array_open(gen)) != yajl_gen_status_ok)
            break;
        for (i = 0; i < value->data.array.nvalues; i++) {
            if (virJSONValueToGen(value->data.array.values[i], gen) < 0)
                return -1;
        }
        status = yajl_gen_array_close(gen);
        break;
    case VIR_JSON_TYPE_STRING:
        status = yajl_gen_string(gen, (const unsigned char *)value->data.str,
                                 strlen(value->data.str));
        break;
    case VIR_JSON_TYPE_NUMBER:
        if (!virJSONNumberTextIsFinite(value->data.str)) {
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           _("Cannot format JSON: the number '%1$s' is not finite."),
                           value->data.str);
            return -1;
        }
        status = yajl_gen_number(gen, value->data.str, strlen(value->data.str));
        break;
    case VIR_JSON_TYPE_BOOLEAN:
        status = yajl_gen_bool(gen, value->data.boolean);
        break;
    case VIR_JSON_TYPE_NULL:
        status = yajl_gen_null(gen);
        break;
    case VIR_JSON_TYPE_LAST:
        status = yajl_gen_generation_complete;
        break;
    }

    switch (status) {
    case yajl_gen_status_ok:
        return 0;
    case yajl_gen_invalid_string:
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       _("Cannot format JSON: a string is not valid UTF-8."));
        break;
    case yajl_max_depth_exceeded:
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       _("JSON nesting is deeper than %1$d levels."), VIR_JSON_MAX_DEPTH);
        break;
    case yajl_gen_keys_must_be_strings:
    case yajl_gen_in_error_state:
    case yajl_gen_generation_complete:
    case yajl_gen_invalid_number:
    case yajl_gen_no_buf:
    default:
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       _("Cannot format JSON: yajl_gen failed with status %1$d."), (int)status);
        break;
    }
    return -1;
}


char *
virJSONValueToString(const virJSONValue *value, bool pretty)
{
    yajl_gen gen;
    const unsigned char *buf;
    size_t len;
    char *ret = NULL;

    if (!value) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       _("Cannot format JSON: no value was given."));
        return NULL;
    }

    gen = yajl_gen_alloc(NULL);
    yajl_gen_config(gen, yajl_gen_validate_utf8, 1);
    if (pretty) {
        yajl_gen_config(gen, yajl_gen_beautify, 1);
        yajl_gen_config(gen, yajl_gen_indent_string, "  ");
    }

    if (virJSONValueToGen(value, gen) == 0) {
        if (yajl_gen_get_buf(gen, &buf, &len) != yajl_gen_status_ok) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           _("Cannot format JSON: yajl_gen has no output."));
        } else {
            if (len > 0 && buf[len - 1] == '\n')
                len--;
            ret = g_strndup((const char *)buf, len);
        }
    }

    yajl_gen_free(gen);
    return ret;
}
