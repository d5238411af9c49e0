/* virjsontest.c: tests of JSON parsing, formatting, building and typed access. */
#include <config.h>

#include <math.h>
#include <string.h>

#include "testutils.h"
#include "virjson.h"
#include "virerror.h"


typedef struct {
    const char *input;
    const char *expected;   /* compact output; NULL: same as @input */
} virJSONRoundTripData;

static const virJSONRoundTripData roundTrips[] = {
    { "{}", NULL },
    { "[]", NULL },
    { "null", NULL },
    { "true", NULL },
    { "false", NULL },
    { "0", NULL },
    { "-1", NULL },
    { "3.25", NULL },
    { "1e10", NULL },
    { "-2.5E-3", NULL },
    { "\"\"", NULL },
    { "\"hello\"", NULL },
    { "  { \"a\" : 1 ,\n\t\"b\" : [ 1 , 2 ] }  \n", "{\"a\":1,\"b\":[1,2]}" },
    { "{\"z\":1,\"a\":2,\"m\":3}", NULL },
    { "[1,\"two\",true,false,null,{},[]]", NULL },
    { "{\"a\":{\"b\":{\"c\":[[[{}]]]}}}", NULL },
    { "\"line\\nbreak \\\"quoted\\\" tab\\t back\\\\slash\"", NULL },
    { "\"\\u00e9t\\u00e9\"", "\"\xc3\xa9t\xc3\xa9\"" },
    { "\"\xc3\xa9t\xc3\xa9 \xe2\x82\xac\"", NULL },
    { "\"\\/\"", "\"/\"" },
    { "\"\\u0001\"", "\"\\u0001\"" },
    { "9223372036854775807", NULL },
    { "-9223372036854775808", NULL },
    { "18446744073709551615", NULL },
    { "123456789012345678901234567890", NULL },
    { "{\"return\":{\"status\":\"running\",\"singlestep\":false,\"running\":true},"
      "\"id\":\"libvirt-7\"}", NULL },
    { "{\"timestamp\":{\"seconds\":1700000000,\"microseconds\":123456},"
      "\"event\":\"NIC_RX_FILTER_CHANGED\",\"data\":{\"name\":\"net0\","
      "\"path\":\"/machine/peripheral/net0/virtio-backend\"}}", NULL },
};


static void
testRoundTrip(const void *opaque)
{
    const virJSONRoundTripData *data = opaque;
    const char *expected = data->expected ? data->expected : data->input;
    g_autoptr(virJSONValue) value = virJSONValueFromString(data->input);
    g_autofree char *compact = NULL;
    g_autofree char *pretty = NULL;
    g_autoptr(virJSONValue) reparsed = NULL;
    g_autofree char *again = NULL;

    if (!value)
        g_error("Cannot parse '%s': %s", data->input, virErrorGetLastMessage());
    compact = virJSONValueToString(value, false);
    g_assert_nonnull(compact);
    g_assert_cmpstr(compact, ==, expected);

    /* The pretty form parses back to the same document. */
    pretty = virJSONValueToString(value, true);
    g_assert_nonnull(pretty);
    g_assert_false(g_str_has_suffix(pretty, "\n"));
    reparsed = virJSONValueFromString(pretty);
    g_assert_nonnull(reparsed);
    again = virJSONValueToString(reparsed, false);
    g_assert_cmpstr(again, ==, expected);
}


static void
testPretty(void)
{
    g_autoptr(virJSONValue) value =
        virJSONValueFromString("{\"a\":1,\"b\":[true,null],\"c\":{\"d\":\"e\"}}");
    g_autofree char *pretty = NULL;
    g_autofree char *scalar = NULL;
    g_autoptr(virJSONValue) num = virJSONValueNewNumberLong(5);

    g_assert_nonnull(value);
    pretty = virJSONValueToString(value, true);
    g_assert_cmpstr(pretty, ==,
                    "{\n"
                    "  \"a\": 1,\n"
                    "  \"b\": [\n"
                    "    true,\n"
                    "    null\n"
                    "  ],\n"
                    "  \"c\": {\n"
                    "    \"d\": \"e\"\n"
                    "  }\n"
                    "}");
    scalar = virJSONValueToString(num, true);
    g_assert_cmpstr(scalar, ==, "5");
}


static void
testTypes(void)
{
    g_autoptr(virJSONValue) value =
        virJSONValueFromString("{\"o\":{},\"a\":[],\"s\":\"x\",\"n\":1,\"b\":true,\"z\":null}");
    static const struct {
        const char *key;
        virJSONType type;
        const char *name;
    } expect[] = {
        { "o", VIR_JSON_TYPE_OBJECT, "object" },
        { "a", VIR_JSON_TYPE_ARRAY, "array" },
        { "s", VIR_JSON_TYPE_STRING, "string" },
        { "n", VIR_JSON_TYPE_NUMBER, "number" },
        { "b", VIR_JSON_TYPE_BOOLEAN, "boolean" },
        { "z", VIR_JSON_TYPE_NULL, "null" },
    };
    size_t i;

    g_assert_nonnull(value);
    g_assert_cmpint(virJSONValueGetType(value), ==, VIR_JSON_TYPE_OBJECT);
    g_assert_cmpuint(virJSONValueObjectSize(value), ==, G_N_ELEMENTS(expect));
    for (i = 0; i < G_N_ELEMENTS(expect); i++) {
        virJSONValue *member = virJSONValueObjectGet(value, expect[i].key);

        g_assert_nonnull(member);
        g_assert_cmpint(virJSONValueGetType(member), ==, expect[i].type);
        g_assert_cmpstr(virJSONTypeToString(expect[i].type), ==, expect[i].name);
        g_assert_cmpstr(virJSONValueObjectGetKey(value, i), ==, expect[i].key);
        g_assert_true(virJSONValueObjectGetValue(value, i) == member);
        g_assert_true(virJSONValueObjectGetByType(value, expect[i].key, expect[i].type) == member);
        g_assert_null(virJSONValueObjectGetByType(value, expect[i].key,
                                                  (expect[i].type + 1) % VIR_JSON_TYPE_LAST));
        g_assert_true(virJSONValueObjectHasKey(value, expect[i].key));
    }
    g_assert_cmpstr(virJSONTypeToString(VIR_JSON_TYPE_LAST), ==, "unknown");
    g_assert_null(virJSONValueObjectGetKey(value, G_N_ELEMENTS(expect)));
    g_assert_null(virJSONValueObjectGetValue(value, G_N_ELEMENTS(expect)));
    g_assert_false(virJSONValueObjectHasKey(value, "missing"));
    g_assert_null(virJSONValueObjectGet(value, "missing"));
    g_assert_true(virJSONValueIsNull(virJSONValueObjectGet(value, "z")));
    g_assert_false(virJSONValueIsNull(virJSONValueObjectGet(value, "o")));
    g_assert_false(virJSONValueIsNull(NULL));

    /* Object accessors on a non-object. */
    g_assert_null(virJSONValueObjectGet(virJSONValueObjectGet(value, "a"), "x"));
    g_assert_cmpuint(virJSONValueObjectSize(virJSONValueObjectGet(value, "a")), ==, 0);
    g_assert_false(virJSONValueObjectHasKey(virJSONValueObjectGet(value, "s"), "x"));
    g_assert_cmpuint(virJSONValueArraySize(value), ==, 0);
    g_assert_null(virJSONValueArrayGet(value, 0));
}


static void
testGetters(void)
{
    g_autoptr(virJSONValue) value =
        virJSONValueFromString("{\"str\":\"text\",\"int\":42,\"neg\":-7,\"big\":2147483648,"
                               "\"u32max\":4294967295,\"u32over\":4294967296,"
                               "\"imin\":-2147483648,\"iunder\":-2147483649,"
                               "\"lmax\":9223372036854775807,\"lover\":9223372036854775808,"
                               "\"ulmax\":18446744073709551615,\"ulover\":18446744073709551616,"
                               "\"minus1\":-1,\"dbl\":2.5,\"exp\":1e3,\"huge\":1e400,"
                               "\"t\":true,\"f\":false,\"nul\":null,"
                               "\"obj\":{\"k\":1},\"arr\":[1,2]}");
    int i = 0;
    unsigned int u = 0;
    long long l = 0;
    unsigned long long ul = 0;
    double d = 0;
    bool b = false;
    static const char *const notNumbers[] = { "str", "t", "nul", "obj", "arr", "missing" };
    static const char *const notBooleans[] = { "str", "int", "nul", "obj", "arr", "missing" };
    size_t n;

    virResetLastError();
    g_assert_nonnull(value);

    g_assert_cmpstr(virJSONValueObjectGetString(value, "str"), ==, "text");
    g_assert_null(virJSONValueObjectGetString(value, "int"));
    g_assert_null(virJSONValueObjectGetString(value, "nul"));
    g_assert_null(virJSONValueObjectGetString(value, "missing"));

    g_assert_cmpint(virJSONValueObjectGetNumberInt(value, "int", &i), ==, 0);
    g_assert_cmpint(i, ==, 42);
    g_assert_cmpint(virJSONValueObjectGetNumberInt(value, "neg", &i), ==, 0);
    g_assert_cmpint(i, ==, -7);
    g_assert_cmpint(virJSONValueObjectGetNumberInt(value, "imin", &i), ==, 0);
    g_assert_cmpint(i, ==, G_MININT);
    i = 99;
    g_assert_cmpint(virJSONValueObjectGetNumberInt(value, "big", &i), ==, -1);
    g_assert_cmpint(virJSONValueObjectGetNumberInt(value, "iunder", &i), ==, -1);
    g_assert_cmpint(virJSONValueObjectGetNumberInt(value, "dbl", &i), ==, -1);
    g_assert_cmpint(virJSONValueObjectGetNumberInt(value, "exp", &i), ==, -1);
    g_assert_cmpint(i, ==, 99);

    g_assert_cmpint(virJSONValueObjectGetNumberUint(value, "int", &u), ==, 0);
    g_assert_cmpuint(u, ==, 42);
    g_assert_cmpint(virJSONValueObjectGetNumberUint(value, "big", &u), ==, 0);
    g_assert_cmpuint(u, ==, 2147483648U);
    g_assert_cmpint(virJSONValueObjectGetNumberUint(value, "u32max", &u), ==, 0);
    g_assert_cmpuint(u, ==, G_MAXUINT);
    g_assert_cmpint(virJSONValueObjectGetNumberUint(value, "u32over", &u), ==, -1);
    g_assert_cmpint(virJSONValueObjectGetNumberUint(value, "minus1", &u), ==, -1);

    g_assert_cmpint(virJSONValueObjectGetNumberLong(value, "big", &l), ==, 0);
    g_assert_cmpint(l, ==, 2147483648LL);
    g_assert_cmpint(virJSONValueObjectGetNumberLong(value, "lmax", &l), ==, 0);
    g_assert_cmpint(l, ==, G_MAXINT64);
    g_assert_cmpint(virJSONValueObjectGetNumberLong(value, "minus1", &l), ==, 0);
    g_assert_cmpint(l, ==, -1);
    g_assert_cmpint(virJSONValueObjectGetNumberLong(value, "lover", &l), ==, -1);
    g_assert_cmpint(virJSONValueObjectGetNumberLong(value, "dbl", &l), ==, -1);

    g_assert_cmpint(virJSONValueObjectGetNumberUlong(value, "ulmax", &ul), ==, 0);
    g_assert_cmpuint(ul, ==, G_MAXUINT64);
    g_assert_cmpint(virJSONValueObjectGetNumberUlong(value, "lover", &ul), ==, 0);
    g_assert_cmpuint(ul, ==, 9223372036854775808ULL);
    g_assert_cmpint(virJSONValueObjectGetNumberUlong(value, "ulover", &ul), ==, -1);
    g_assert_cmpint(virJSONValueObjectGetNumberUlong(value, "minus1", &ul), ==, -1);
    g_assert_cmpint(virJSONValueObjectGetNumberUlong(value, "neg", &ul), ==, -1);

    g_assert_cmpint(virJSONValueObjectGetNumberDouble(value, "dbl", &d), ==, 0);
    g_assert_cmpfloat(d, ==, 2.5);
    g_assert_cmpint(virJSONValueObjectGetNumberDouble(value, "exp", &d), ==, 0);
    g_assert_cmpfloat(d, ==, 1000.0);
    g_assert_cmpint(virJSONValueObjectGetNumberDouble(value, "int", &d), ==, 0);
    g_assert_cmpfloat(d, ==, 42.0);
    g_assert_cmpint(virJSONValueObjectGetNumberDouble(value, "huge", &d), ==, -1);

    g_assert_cmpint(virJSONValueObjectGetBoolean(value, "t", &b), ==, 0);
    g_assert_true(b);
    g_assert_cmpint(virJSONValueObjectGetBoolean(value, "f", &b), ==, 0);
    g_assert_false(b);

    for (n = 0; n < G_N_ELEMENTS(notNumbers); n++) {
        const char *key = notNumbers[n];

        g_assert_cmpint(virJSONValueObjectGetNumberInt(value, key, &i), ==, -1);
        g_assert_cmpint(virJSONValueObjectGetNumberUint(value, key, &u), ==, -1);
        g_assert_cmpint(virJSONValueObjectGetNumberLong(value, key, &l), ==, -1);
        g_assert_cmpint(virJSONValueObjectGetNumberUlong(value, key, &ul), ==, -1);
        g_assert_cmpint(virJSONValueObjectGetNumberDouble(value, key, &d), ==, -1);
    }
    for (n = 0; n < G_N_ELEMENTS(notBooleans); n++)
        g_assert_cmpint(virJSONValueObjectGetBoolean(value, notBooleans[n], &b), ==, -1);

    g_assert_nonnull(virJSONValueObjectGetObject(value, "obj"));
    g_assert_null(virJSONValueObjectGetObject(value, "arr"));
    g_assert_null(virJSONValueObjectGetObject(value, "missing"));
    g_assert_nonnull(virJSONValueObjectGetArray(value, "arr"));
    g_assert_null(virJSONValueObjectGetArray(value, "obj"));
    g_assert_null(virJSONValueObjectGetArray(value, "str"));

    /* Getters on the values themselves, and on NULL. */
    g_assert_cmpstr(virJSONValueGetString(virJSONValueObjectGet(value, "str")), ==, "text");
    g_assert_null(virJSONValueGetString(virJSONValueObjectGet(value, "int")));
    g_assert_null(virJSONValueGetString(NULL));
    g_assert_cmpint(virJSONValueGetNumberInt(NULL, &i), ==, -1);
    g_assert_cmpint(virJSONValueGetNumberUint(NULL, &u), ==, -1);
    g_assert_cmpint(virJSONValueGetNumberLong(NULL, &l), ==, -1);
    g_assert_cmpint(virJSONValueGetNumberUlong(NULL, &ul), ==, -1);
    g_assert_cmpint(virJSONValueGetNumberDouble(NULL, &d), ==, -1);
    g_assert_cmpint(virJSONValueGetBoolean(NULL, &b), ==, -1);
    g_assert_cmpint(virJSONValueGetBoolean(virJSONValueObjectGet(value, "int"), &b), ==, -1);

    /* Plain getters fail silently. */
    g_assert_null(virErrorGetLast());
}


static void
testNumbers(void)
{
    g_autoptr(virJSONValue) arr = virJSONValueNewArray();
    g_autoptr(virJSONValue) lmin = virJSONValueNewNumberLong(G_MININT64);
    g_autoptr(virJSONValue) ulmax = virJSONValueNewNumberUlong(G_MAXUINT64);
    g_autoptr(virJSONValue) third = virJSONValueNewNumberDouble(1.0 / 3.0);
    g_autoptr(virJSONValue) tenth = virJSONValueNewNumberDouble(0.1);
    g_autoptr(virJSONValue) whole = virJSONValueNewNumberDouble(3.0);
    g_autoptr(virJSONValue) nan = virJSONValueNewNumberDouble(NAN);
    g_autoptr(virJSONValue) parsed = NULL;
    g_autofree char *str = NULL;
    long long l;
    unsigned long long ul;
    double d;
    int i;

    g_assert_cmpint(virJSONValueGetNumberLong(lmin, &l), ==, 0);
    g_assert_cmpint(l, ==, G_MININT64);
    g_assert_cmpint(virJSONValueGetNumberUlong(ulmax, &ul), ==, 0);
    g_assert_cmpuint(ul, ==, G_MAXUINT64);
    g_assert_cmpint(virJSONValueGetNumberDouble(third, &d), ==, 0);
    g_assert_cmpfloat(d, ==, 1.0 / 3.0);
    g_assert_cmpint(virJSONValueGetNumberDouble(tenth, &d), ==, 0);
    g_assert_cmpfloat(d, ==, 0.1);
    g_assert_cmpint(virJSONValueGetNumberInt(whole, &i), ==, 0);
    g_assert_cmpint(i, ==, 3);

    g_assert_cmpint(virJSONValueArrayAppend(arr, &lmin), ==, 0);
    g_assert_null(lmin);
    g_assert_cmpint(virJSONValueArrayAppend(arr, &ulmax), ==, 0);
    g_assert_cmpint(virJSONValueArrayAppend(arr, &tenth), ==, 0);
    g_assert_cmpint(virJSONValueArrayAppend(arr, &whole), ==, 0);
    str = virJSONValueToString(arr, false);
    g_assert_cmpstr(str, ==, "[-9223372036854775808,18446744073709551615,0.1,3]");

    /* 64-bit integers survive a parse and format unchanged. */
    parsed = virJSONValueFromString(str);
    g_assert_nonnull(parsed);
    g_assert_cmpint(virJSONValueGetNumberLong(virJSONValueArrayGet(parsed, 0), &l), ==, 0);
    g_assert_cmpint(l, ==, G_MININT64);
    g_assert_cmpint(virJSONValueGetNumberUlong(virJSONValueArrayGet(parsed, 1), &ul), ==, 0);
    g_assert_cmpuint(ul, ==, G_MAXUINT64);
    g_free(str);
    str = virJSONValueToString(parsed, false);
    g_assert_cmpstr(str, ==, "[-9223372036854775808,18446744073709551615,0.1,3]");

    /* JSON has no NaN: formatting fails with an error. */
    g_assert_null(virJSONValueToString(nan, false));
    virTestAssertErrorContains("not finite");
    virResetLastError();
}


static void
testScalars(void)
{
    g_autoptr(virJSONValue) t = virJSONValueNewBoolean(true);
    g_autoptr(virJSONValue) f = virJSONValueNewBoolean(false);
    g_autoptr(virJSONValue) null = virJSONValueNewNull();
    g_autoptr(virJSONValue) str = virJSONValueNewString("a\"b\\c\n\xc3\xa9");
    g_autoptr(virJSONValue) bad = virJSONValueNewString("\xff");
    g_autofree char *out = NULL;
    bool b = false;

    g_assert_cmpint(virJSONValueGetBoolean(t, &b), ==, 0);
    g_assert_true(b);
    g_assert_cmpint(virJSONValueGetBoolean(f, &b), ==, 0);
    g_assert_false(b);
    g_assert_cmpint(virJSONValueGetBoolean(null, &b), ==, -1);
    g_assert_true(virJSONValueIsNull(null));
    g_assert_false(virJSONValueIsNull(f));

    out = virJSONValueToString(str, false);
    g_assert_cmpstr(out, ==, "\"a\\\"b\\\\c\\n\xc3\xa9\"");
    g_free(out);
    out = virJSONValueToString(null, false);
    g_assert_cmpstr(out, ==, "null");

    /* A constructed string that is not UTF-8 cannot be formatted. */
    g_assert_null(virJSONValueToString(bad, false));
    virTestAssertErrorContains("UTF-8");
    virResetLastError();
}


static void
testNested(void)
{
    g_autoptr(virJSONValue) value =
        virJSONValueFromString("{\"list\":[{\"name\":\"a\",\"v\":[1,[2,[3]]]},{\"name\":\"b\"}]}");
    virJSONValue *list;
    virJSONValue *inner;
    int i;

    g_assert_nonnull(value);
    list = virJSONValueObjectGetArray(value, "list");
    g_assert_nonnull(list);
    g_assert_cmpuint(virJSONValueArraySize(list), ==, 2);
    g_assert_cmpstr(virJSONValueObjectGetString(virJSONValueArrayGet(list, 0), "name"), ==, "a");
    g_assert_cmpstr(virJSONValueObjectGetString(virJSONValueArrayGet(list, 1), "name"), ==, "b");
    g_assert_null(virJSONValueArrayGet(list, 2));
    inner = virJSONValueObjectGetArray(virJSONValueArrayGet(list, 0), "v");
    inner = virJSONValueArrayGet(virJSONValueArrayGet(inner, 1), 1);
    g_assert_cmpuint(virJSONValueArraySize(inner), ==, 1);
    g_assert_cmpint(virJSONValueGetNumberInt(virJSONValueArrayGet(inner, 0), &i), ==, 0);
    g_assert_cmpint(i, ==, 3);
}


static void
testAppend(void)
{
    g_autoptr(virJSONValue) obj = virJSONValueNewObject();
    g_autoptr(virJSONValue) arr = virJSONValueNewArray();
    g_autoptr(virJSONValue) val = NULL;
    g_autoptr(virJSONValue) notObject = virJSONValueNewString("x");
    g_autofree char *out = NULL;

    g_assert_cmpint(virJSONValueObjectAppendString(obj, "s", "v"), ==, 0);
    g_assert_cmpint(virJSONValueObjectAppendNumberLong(obj, "l", -5), ==, 0);
    g_assert_cmpint(virJSONValueObjectAppendNumberUlong(obj, "u", 5), ==, 0);
    g_assert_cmpint(virJSONValueObjectAppendBoolean(obj, "b", true), ==, 0);
    g_assert_cmpint(virJSONValueArrayAppendString(arr, "one"), ==, 0);
    g_assert_cmpint(virJSONValueArrayAppendString(arr, "two"), ==, 0);
    g_assert_cmpint(virJSONValueObjectAppend(obj, "a", &arr), ==, 0);
    g_assert_null(arr);
    out = virJSONValueToString(obj, false);
    g_assert_cmpstr(out, ==, "{\"s\":\"v\",\"l\":-5,\"u\":5,\"b\":true,\"a\":[\"one\",\"two\"]}");

    /* A duplicate key fails, reports, and still takes the value (no leak). */
    val = virJSONValueNewNull();
    g_assert_cmpint(virJSONValueObjectAppend(obj, "s", &val), ==, -1);
    g_assert_null(val);
    virTestAssertErrorContains("Duplicate key 's'");
    virResetLastError();
    g_assert_cmpint(virJSONValueObjectAppendString(obj, "b", "again"), ==, -1);
    virTestAssertErrorContains("Duplicate key 'b'");
    virResetLastError();
    g_assert_cmpuint(virJSONValueObjectSize(obj), ==, 5);

    /* Appending to the wrong type fails and takes the value. */
    val = virJSONValueNewNull();
    g_assert_cmpint(virJSONValueObjectAppend(notObject, "k", &val), ==, -1);
    g_assert_null(val);
    virTestAssertErrorContains("not an object");
    virResetLastError();
    val = virJSONValueNewNull();
    g_assert_cmpint(virJSONValueArrayAppend(notObject, &val), ==, -1);
    g_assert_null(val);
    virTestAssertErrorContains("not an array");
    virResetLastError();
}


static void
testLargeObject(void)
{
    g_autoptr(virJSONValue) obj = virJSONValueNewObject();
    g_autoptr(virJSONValue) copy = NULL;
    g_autoptr(virJSONValue) stolen = NULL;
    g_autoptr(GString) doc = g_string_new("{");
    g_autoptr(virJSONValue) parsed = NULL;
    size_t i;
    int n;

    for (i = 0; i < 200; i++) {
        g_autofree char *key = g_strdup_printf("k%zu", i);

        g_assert_cmpint(virJSONValueObjectAppendNumberLong(obj, key, i), ==, 0);
        g_string_append_printf(doc, "%s\"%s\":%zu", i ? "," : "", key, i);
    }
    g_assert_cmpint(virJSONValueObjectAppendNumberLong(obj, "k150", 0), ==, -1);
    virResetLastError();
    g_assert_cmpint(virJSONValueObjectGetNumberInt(obj, "k150", &n), ==, 0);
    g_assert_cmpint(n, ==, 150);

    stolen = virJSONValueObjectSteal(obj, "k10");
    g_assert_nonnull(stolen);
    g_assert_false(virJSONValueObjectHasKey(obj, "k10"));
    g_assert_cmpint(virJSONValueObjectGetNumberInt(obj, "k150", &n), ==, 0);
    g_assert_cmpint(n, ==, 150);
    g_assert_cmpint(virJSONValueObjectAppendNumberLong(obj, "k10", 10), ==, 0);
    g_assert_cmpint(virJSONValueObjectAppendNumberLong(obj, "k199", 0), ==, -1);
    virResetLastError();
    g_assert_cmpstr(virJSONValueObjectGetKey(obj, 199), ==, "k10");

    copy = virJSONValueCopy(obj);
    g_assert_cmpint(virJSONValueObjectGetNumberInt(copy, "k42", &n), ==, 0);
    g_assert_cmpint(n, ==, 42);

    g_string_append(doc, ",\"k77\":1}");
    parsed = virJSONValueFromString(doc->str);
    g_assert_null(parsed);
    virTestAssertErrorContains("Duplicate key 'k77'");
    virResetLastError();
}


static void
testSteal(void)
{
    g_autoptr(virJSONValue) value = virJSONValueFromString("{\"a\":1,\"b\":[2],\"c\":3}");
    g_autoptr(virJSONValue) b = NULL;
    g_autofree char *out = NULL;

    g_assert_nonnull(value);
    b = virJSONValueObjectSteal(value, "b");
    g_assert_nonnull(b);
    g_assert_cmpint(virJSONValueGetType(b), ==, VIR_JSON_TYPE_ARRAY);
    g_assert_false(virJSONValueObjectHasKey(value, "b"));
    g_assert_null(virJSONValueObjectSteal(value, "b"));
    g_assert_null(virJSONValueObjectSteal(b, "x"));
    out = virJSONValueToString(value, false);
    g_assert_cmpstr(out, ==, "{\"a\":1,\"c\":3}");
    g_free(out);
    out = virJSONValueToString(b, false);
    g_assert_cmpstr(out, ==, "[2]");
}


static void
testCopy(void)
{
    const char *doc = "{\"a\":{\"b\":[1,\"x\",true,null,{\"c\":2.5}]},\"d\":\"e\"}";
    g_autoptr(virJSONValue) orig = virJSONValueFromString(doc);
    g_autoptr(virJSONValue) copy = NULL;
    g_autoptr(virJSONValue) stolen = NULL;
    g_autofree char *out = NULL;
    virJSONValue *arr;

    g_assert_nonnull(orig);
    copy = virJSONValueCopy(orig);
    g_assert_nonnull(copy);
    g_assert_true(copy != orig);
    out = virJSONValueToString(copy, false);
    g_assert_cmpstr(out, ==, doc);
    g_free(out);

    arr = virJSONValueObjectGetArray(virJSONValueObjectGetObject(copy, "a"), "b");
    g_assert_cmpint(virJSONValueArrayAppendString(arr, "new"), ==, 0);
    stolen = virJSONValueObjectSteal(copy, "d");
    g_assert_cmpint(virJSONValueObjectAppendBoolean(virJSONValueArrayGet(arr, 4), "f", false), ==, 0);

    out = virJSONValueToString(orig, false);
    g_assert_cmpstr(out, ==, doc);
    g_free(out);
    out = virJSONValueToString(copy, false);
    g_assert_cmpstr(out, ==, "{\"a\":{\"b\":[1,\"x\",true,null,{\"c\":2.5,\"f\":false},\"new\"]}}");

    g_assert_null(virJSONValueCopy(NULL));
}


static void
testBuild(void)
{
    g_autoptr(virJSONValue) arr = virJSONValueNewArray();
    g_autoptr(virJSONValue) obj = virJSONValueNewObject();
    g_autoptr(virJSONValue) skippedValue = NULL;
    g_autoptr(virJSONValue) built = NULL;
    g_autofree char *out = NULL;

    g_assert_cmpint(virJSONValueArrayAppendString(arr, "x"), ==, 0);
    g_assert_cmpint(virJSONValueObjectAppendNumberLong(obj, "n", 1), ==, 0);
    built = virJSONValueObjectBuild("s:str", "text",
                                    "S:skipped", NULL,
                                    "S:kept", "here",
                                    "i:int", -42,
                                    "I:long", -9223372036854775807LL - 1,
                                    "u:ulong", 18446744073709551615ULL,
                                    "b:yes", 1,
                                    "b:no", 0,
                                    "a:arr", &arr,
                                    "A:obj", &obj,
                                    "A:none", &skippedValue,
                                    NULL);
    g_assert_nonnull(built);
    g_assert_null(arr);
    g_assert_null(obj);
    out = virJSONValueToString(built, false);
    g_assert_cmpstr(out, ==,
                    "{\"str\":\"text\",\"kept\":\"here\",\"int\":-42,"
                    "\"long\":-9223372036854775808,\"ulong\":18446744073709551615,"
                    "\"yes\":true,\"no\":false,\"arr\":[\"x\"],\"obj\":{\"n\":1}}");
    g_clear_pointer(&built, virJSONValueFree);

    /* An empty object. */
    built = virJSONValueObjectBuild(NULL, NULL);
    g_assert_nonnull(built);
    g_assert_cmpuint(virJSONValueObjectSize(built), ==, 0);
    g_clear_pointer(&built, virJSONValueFree);

    /* Bad prefixes and missing mandatory values. */
    built = virJSONValueObjectBuild("s:ok", "v", "x:bad", 1, NULL);
    g_assert_null(built);
    virTestAssertErrorContains("Invalid type prefix 'x' in key 'x:bad'");
    virResetLastError();

    built = virJSONValueObjectBuild("noprefix", "v", NULL);
    g_assert_null(built);
    virTestAssertErrorContains("Invalid key 'noprefix'");
    virResetLastError();

    built = virJSONValueObjectBuild("s:", "v", NULL);
    g_assert_null(built);
    virTestAssertErrorContains("Invalid key 's:'");
    virResetLastError();

    built = virJSONValueObjectBuild("s:str", NULL, NULL);
    g_assert_null(built);
    virTestAssertErrorContains("'str' must not be NULL");
    virResetLastError();

    built = virJSONValueObjectBuild("a:arr", &skippedValue, NULL);
    g_assert_null(built);
    virTestAssertErrorContains("'arr' must not be NULL");
    virResetLastError();

    built = virJSONValueObjectBuild("s:k", "a", "i:k", 1, NULL);
    g_assert_null(built);
    virTestAssertErrorContains("Duplicate key 'k'");
    virResetLastError();
}


typedef struct {
    const char *name;
    const char *data;
    size_t len;          /* 0: strlen(data) */
    const char *error;
} virJSONParseErrorData;

#define ERR_CASE(name, data, error) { name, data, 0, error }
#define ERR_CASE_LEN(name, data, error) { name, data, sizeof(data) - 1, error }

static const virJSONParseErrorData parseErrors[] = {
    ERR_CASE("empty", "", "empty"),
    ERR_CASE("whitespace", "   \n", "premature EOF"),
    ERR_CASE("truncated", "{\"a\":", "premature EOF"),
    ERR_CASE("truncated-array", "[1,2", "premature EOF"),
    ERR_CASE("bare-word", "hello", "Cannot parse JSON"),
    ERR_CASE("single-quotes", "{'a':1}", "Cannot parse JSON"),
    ERR_CASE("trailing-comma", "[1,]", "Cannot parse JSON"),
    ERR_CASE("missing-colon", "{\"a\" 1}", "Cannot parse JSON"),
    ERR_CASE("unquoted-key", "{a:1}", "Cannot parse JSON"),
    ERR_CASE("comment", "/* c */ {}", "Cannot parse JSON"),
    ERR_CASE("bad-escape", "\"\\q\"", "Cannot parse JSON"),
    ERR_CASE("bad-utf8", "\"\xff\"", "UTF8"),
    ERR_CASE("bad-utf8-key", "{\"\xc3\":1}", "UTF8"),
    ERR_CASE("trailing-garbage", "{} x", "trailing garbage"),
    ERR_CASE("two-documents", "{}{}", "trailing garbage"),
    ERR_CASE("two-numbers", "1 2", "trailing garbage"),
    ERR_CASE("nul-escape", "\"a\\u0000b\"", "NUL character"),
    ERR_CASE("nul-escape-key", "{\"a\\u0000\":1}", "NUL character"),
    ERR_CASE_LEN("nul-byte", "{}\0", "Cannot parse JSON"),
    ERR_CASE("duplicate-key", "{\"a\":1,\"b\":2,\"a\":3}", "Duplicate key 'a' in JSON object."),
    ERR_CASE("duplicate-nested", "[{\"x\":{\"k\":1,\"k\":1}}]", "Duplicate key 'k'"),
};


static void
testParseError(const void *opaque)
{
    const virJSONParseErrorData *data = opaque;
    size_t len = data->len ? data->len : strlen(data->data);
    g_autoptr(virJSONValue) value = NULL;

    virResetLastError();
    value = virJSONValueFromBuffer(data->data, len);
    g_assert_null(value);
    virTestAssertErrorContains(data->error);
    g_assert_cmpint(virErrorGetLastCode(), ==, VIR_ERR_INTERNAL_ERROR);
    virResetLastError();
}


static char *
testNestedDocument(size_t depth)
{
    GString *doc = g_string_sized_new(depth * 2 + 8);
    size_t i;

    /* Alternating objects and arrays; an object needs a key before its value. */
    for (i = 0; i < depth; i++)
        g_string_append(doc, i % 2 ? "[" : "{\"k\":");
    g_string_append(doc, "1");
    for (i = depth; i > 0; i--)
        g_string_append_c(doc, (i - 1) % 2 ? ']' : '}');
    return g_string_free(doc, FALSE);
}


static void
testDepth(void)
{
    g_autofree char *ok = testNestedDocument(VIR_JSON_MAX_DEPTH);
    g_autofree char *deep = testNestedDocument(VIR_JSON_MAX_DEPTH + 1);
    g_autofree char *arrays = NULL;
    g_autoptr(virJSONValue) value = virJSONValueFromString(ok);
    g_autoptr(virJSONValue) tooDeep = NULL;
    g_autofree char *out = NULL;
    g_autofree char *expectedMsg = g_strdup_printf("JSON nesting is deeper than %d levels.",
                                                   VIR_JSON_MAX_DEPTH);
    size_t i;

    if (!value)
        g_error("Cannot parse %d levels: %s", VIR_JSON_MAX_DEPTH, virErrorGetLastMessage());
    out = virJSONValueToString(value, false);
    g_assert_cmpstr(out, ==, ok);
    g_clear_pointer(&out, g_free);
    out = virJSONValueToString(value, true);
    g_assert_nonnull(out);

    tooDeep = virJSONValueFromString(deep);
    g_assert_null(tooDeep);
    virTestAssertErrorContains(expectedMsg);
    virResetLastError();

    /* A runaway stream of brackets stops at the limit too. */
    arrays = g_strnfill(10000, '[');
    tooDeep = virJSONValueFromString(arrays);
    g_assert_null(tooDeep);
    virTestAssertErrorContains(expectedMsg);
    virResetLastError();

    /* A constructed document too deep for the formatter fails cleanly. */
    g_clear_pointer(&value, virJSONValueFree);
    value = virJSONValueNewNull();
    for (i = 0; i < VIR_JSON_MAX_DEPTH + 1; i++) {
        virJSONValue *outer = virJSONValueNewArray();

        g_assert_cmpint(virJSONValueArrayAppend(outer, &value), ==, 0);
        value = outer;
    }
    g_clear_pointer(&out, g_free);
    out = virJSONValueToString(value, false);
    g_assert_null(out);
    virTestAssertErrorContains(expectedMsg);
    virResetLastError();
}


static void
testSizeLimit(void)
{
    size_t len = VIR_JSON_MAX_INPUT_SIZE + 1;
    g_autofree char *doc = g_malloc(len);
    g_autoptr(virJSONValue) value = NULL;
    g_autofree char *expectedMsg =
        g_strdup_printf("JSON document of %zu bytes is over the limit of %d bytes.",
                        len, VIR_JSON_MAX_INPUT_SIZE);

    /* A valid document (a long string) just over the limit. */
    memset(doc, 'a', len);
    doc[0] = '"';
    doc[len - 1] = '"';
    value = virJSONValueFromBuffer(doc, len);
    g_assert_null(value);
    virTestAssertErrorContains(expectedMsg);
    virResetLastError();

    /* Exactly at the limit it parses. */
    doc[len - 2] = '"';
    value = virJSONValueFromBuffer(doc, len - 1);
    if (!value)
        g_error("Cannot parse a document at the size limit: %s", virErrorGetLastMessage());
    g_assert_cmpuint(strlen(virJSONValueGetString(value)), ==, len - 3);
}


static void
testFromBuffer(void)
{
    /* The buffer need not be NUL-terminated; only @len bytes are read. */
    const char buf[] = "{\"a\":[1,2]}GARBAGE";
    g_autoptr(virJSONValue) value = virJSONValueFromBuffer(buf, 11);
    g_autofree char *out = NULL;

    g_assert_nonnull(value);
    out = virJSONValueToString(value, false);
    g_assert_cmpstr(out, ==, "{\"a\":[1,2]}");

    g_assert_null(virJSONValueFromString(NULL));
    virTestAssertErrorContains("no document");
    virResetLastError();
}


static void
testStrings(void)
{
    g_autoptr(virJSONValue) value =
        virJSONValueFromString("[\"a\\nb\",\"q\\\"q\",\"\\u00e9\",\"\\ud83d\\ude00\",\"\\\\\"]");

    g_assert_nonnull(value);
    g_assert_cmpstr(virJSONValueGetString(virJSONValueArrayGet(value, 0)), ==, "a\nb");
    g_assert_cmpstr(virJSONValueGetString(virJSONValueArrayGet(value, 1)), ==, "q\"q");
    g_assert_cmpstr(virJSONValueGetString(virJSONValueArrayGet(value, 2)), ==, "\xc3\xa9");
    g_assert_cmpstr(virJSONValueGetString(virJSONValueArrayGet(value, 3)), ==,
                    "\xf0\x9f\x98\x80");
    g_assert_cmpstr(virJSONValueGetString(virJSONValueArrayGet(value, 4)), ==, "\\");
}


static void
testFreeNull(void)
{
    virJSONValueFree(NULL);
    {
        g_autoptr(virJSONValue) unused G_GNUC_UNUSED = NULL;
    }
}


int
main(int argc, char **argv)
{
    size_t i;

    virTestInit(&argc, &argv);

    for (i = 0; i < G_N_ELEMENTS(roundTrips); i++) {
        g_autofree char *path = g_strdup_printf("/json/roundtrip/%zu", i);

        g_test_add_data_func(path, &roundTrips[i], testRoundTrip);
    }
    for (i = 0; i < G_N_ELEMENTS(parseErrors); i++) {
        g_autofree char *path = g_strdup_printf("/json/parse-error/%s", parseErrors[i].name);

        g_test_add_data_func(path, &parseErrors[i], testParseError);
    }
    g_test_add_func("/json/pretty", testPretty);
    g_test_add_func("/json/types", testTypes);
    g_test_add_func("/json/getters", testGetters);
    g_test_add_func("/json/numbers", testNumbers);
    g_test_add_func("/json/scalars", testScalars);
    g_test_add_func("/json/nested", testNested);
    g_test_add_func("/json/strings", testStrings);
    g_test_add_func("/json/append", testAppend);
    g_test_add_func("/json/large-object", testLargeObject);
    g_test_add_func("/json/steal", testSteal);
    g_test_add_func("/json/copy", testCopy);
    g_test_add_func("/json/build", testBuild);
    g_test_add_func("/json/limits/depth", testDepth);
    g_test_add_func("/json/limits/size", testSizeLimit);
    g_test_add_func("/json/from-buffer", testFromBuffer);
    g_test_add_func("/json/free-null", testFreeNull);

    return g_test_run();
}
