/* auto_api.c — the AWS API actions (aws:executeAwsApi,
 * aws:waitForAwsResourceProperty, aws:assertAwsResourceProperty) and the
 * JSONPath selectors of step outputs and PropertySelector.
 *
 * Selectors. The User Guide says only "the JSONPath expression"
 * (automation-action-outputs-inputs.md, automation-action-executeAwsApi.md).
 * The 996 runbooks of the corpus write $, .name, ..name, [n], ['name'] and
 * .'dotted.name' (spec 2.7), and also leave out the leading $.
 * (InstanceIds[0], accepted: SSM8035). What is accepted here is the common
 * JSONPath of Goessner's article and its Java implementations: those forms
 * plus .*, [*], [n,m], [start:end:step], ['a','b'], [?(filter)] and a
 * trailing function call such as .length(). A selector no JSONPath reader
 * parses (an unclosed [ or quote, a dot with no name after it, text between
 * segments) selects nothing, so the output or the wait can never work:
 * SSM8079 points at the first character that breaks it. A selector that
 * yields a list (.., *, a filter, a slice, a union) declared as a single
 * value is SSM8080.
 *
 * Service and Api name the boto3 client and operation ("The AWS service
 * namespace", "The name of the API operation"); the runbooks write ec2,
 * EC2, elbv2, application-autoscaling and DescribeInstances,
 * describeInstances, describe_instances, all of which boto3 resolves
 * (spec 3.2, 9 row 13). The CLI's describe-instances or IAM's
 * ec2:DescribeInstances name no client method: SSM8081. */
#include "automation.h"
#include "refs.h"

#include <stdlib.h>
#include <string.h>

static bool has_token(const ssmc_node *n)
{
    return n && n->type == SSMC_NODE_STRING && n->str && refs_has_double(n->str, n->len, '{');
}

static ssmc_loc char_span(const actx *a, const ssmc_node *n, size_t at)
{
    size_t end = at < n->len ? at + 1 : at;
    /* A whole UTF-8 character. */
    while (end < n->len && ((unsigned char)n->str[end] & 0xC0) == 0x80)
        end++;
    return refs_locate(a->v->source, n, at, end);
}

/* --- JSONPath ---------------------------------------------------------- */

typedef struct jpath {
    const char *s;
    size_t len, i;
    bool list;          /* the path may select several values */
    size_t bad;         /* where it breaks */
    const char *why;    /* NULL while it parses */
} jpath;

static bool jp_fail(jpath *p, size_t at, const char *why)
{
    if (!p->why) {
        p->bad = at;
        p->why = why;
    }
    return false;
}

static bool jp_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A character of a dot-notation name. */
static bool jp_name_char(unsigned char c)
{
    return c > ' ' && c != 0x7f && c != '.' && c != '[' && c != ']' && c != '(' && c != ')' &&
           c != '\'' && c != '"';
}

static void jp_skip_space(jpath *p)
{
    while (p->i < p->len && jp_space(p->s[p->i]))
        p->i++;
}

static bool jp_quoted(jpath *p)
{
    char q = p->s[p->i];
    size_t open = p->i++;
    while (p->i < p->len && p->s[p->i] != q) {
        if (p->s[p->i] == '\\' && p->i + 1 < p->len)
            p->i++;
        p->i++;
    }
    if (p->i >= p->len)
        return jp_fail(p, open, "this quote is never closed");
    p->i++;
    return true;
}

/* An optional integer; whether one was read. */
static bool jp_int(jpath *p)
{
    size_t at = p->i;
    if (p->i < p->len && p->s[p->i] == '-')
        p->i++;
    size_t digits = p->i;
    while (p->i < p->len && p->s[p->i] >= '0' && p->s[p->i] <= '9')
        p->i++;
    if (p->i == digits) {
        p->i = at;
        return false;
    }
    return true;
}

static bool jp_filter(jpath *p, size_t open)
{
    p->i++; /* ? */
    jp_skip_space(p);
    if (p->i >= p->len || p->s[p->i] != '(')
        return jp_fail(p, p->i < p->len ? p->i : open, "a filter is written [?(@.Key == 'value')]");
    size_t depth = 0;
    while (p->i < p->len) {
        char c = p->s[p->i];
        if (c == '\'' || c == '"') {
            if (!jp_quoted(p))
                return false;
            continue;
        }
        if (c == '(')
            depth++;
        else if (c == ')' && --depth == 0) {
            p->i++;
            return true;
        }
        p->i++;
    }
    return jp_fail(p, open, "this [ is never closed");
}

static bool jp_bracket(jpath *p)
{
    size_t open = p->i++;
    jp_skip_space(p);
    if (p->i >= p->len)
        return jp_fail(p, open, "this [ is never closed");
    char c = p->s[p->i];
    if (c == '*') {
        p->i++;
        p->list = true;
    } else if (c == '?') {
        if (!jp_filter(p, open))
            return false;
        p->list = true;
    } else if (c == '\'' || c == '"') {
        size_t names = 0;
        for (;;) {
            if (!jp_quoted(p))
                return false;
            names++;
            jp_skip_space(p);
            if (p->i < p->len && p->s[p->i] == ',') {
                p->i++;
                jp_skip_space(p);
                if (p->i >= p->len || (p->s[p->i] != '\'' && p->s[p->i] != '"'))
                    return jp_fail(p, p->i < p->len ? p->i : open,
                                   "expected another quoted name after ,");
                continue;
            }
            break;
        }
        p->list = p->list || names > 1;
    } else if (c == '-' || c == ':' || (c >= '0' && c <= '9')) {
        bool num = jp_int(p);
        jp_skip_space(p);
        if (p->i < p->len && p->s[p->i] == ':') { /* a slice [start:end:step] */
            p->list = true;
            for (int part = 0; part < 2 && p->i < p->len && p->s[p->i] == ':'; part++) {
                p->i++;
                jp_skip_space(p);
                jp_int(p);
                jp_skip_space(p);
            }
        } else if (!num) {
            return jp_fail(p, p->i, "expected an index here");
        } else {
            while (p->i < p->len && p->s[p->i] == ',') { /* a union [0,2] */
                p->i++;
                jp_skip_space(p);
                if (!jp_int(p))
                    return jp_fail(p, p->i < p->len ? p->i : open,
                                   "expected another index after ,");
                p->list = true;
                jp_skip_space(p);
            }
        }
    } else {
        return jp_fail(p, p->i,
                       "inside [ ] goes an index, *, a quoted name or a filter ?(...)");
    }
    jp_skip_space(p);
    if (p->i >= p->len)
        return jp_fail(p, open, "this [ is never closed");
    if (p->s[p->i] != ']')
        return jp_fail(p, p->i, "expected ] here");
    p->i++;
    return true;
}

/* A dot-notation name, then an optional function call: name(). */
static bool jp_name(jpath *p)
{
    while (p->i < p->len && jp_name_char((unsigned char)p->s[p->i]))
        p->i++;
    if (p->i < p->len && p->s[p->i] == '(') {
        size_t open = p->i;
        while (p->i < p->len && p->s[p->i] != ')')
            p->i++;
        if (p->i >= p->len)
            return jp_fail(p, open, "this ( is never closed");
        p->i++;
        if (p->i < p->len)
            return jp_fail(p, p->i, "a function call such as length() ends the path");
    }
    return true;
}

static bool jp_parse(jpath *p)
{
    size_t end = p->len;
    while (p->i < end && jp_space(p->s[p->i]))
        p->i++;
    while (end > p->i && jp_space(p->s[end - 1]))
        end--;
    p->len = end;
    if (p->i >= p->len)
        return jp_fail(p, 0, "the selector is empty; write $ for the whole response");
    char c = p->s[p->i];
    if (c == '$') {
        p->i++;
    } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '_') {
        /* Without $. (InstanceIds[0]): Automation reads it from the root. */
        if (!jp_name(p))
            return false;
    } else if (c != '[') {
        return jp_fail(p, p->i, "a selector starts with $ (the response), as in $.Name");
    }
    while (p->i < p->len) {
        c = p->s[p->i];
        if (c == '[') {
            if (!jp_bracket(p))
                return false;
            continue;
        }
        if (c != '.')
            return jp_fail(p, p->i, c == ']' ? "this ] closes no [" : "expected . or [ here");
        size_t dot = p->i++;
        bool deep = p->i < p->len && p->s[p->i] == '.';
        if (deep) {
            p->i++;
            p->list = true;
        }
        if (p->i >= p->len)
            return jp_fail(p, dot, "a name must follow the dot");
        c = p->s[p->i];
        if (c == '.')
            return jp_fail(p, p->i, "three dots: write . for a child or .. for a deep scan");
        if (c == '*') {
            p->i++;
            p->list = true;
        } else if (c == '[') {
            continue; /* $..[0] and, in Java readers, $.['Name'] */
        } else if (c == '\'' || c == '"') {
            if (!jp_quoted(p))
                return false;
        } else if (jp_name_char((unsigned char)c)) {
            if (!jp_name(p))
                return false;
        } else {
            return jp_fail(p, p->i, "a name must follow the dot");
        }
    }
    return true;
}

bool automation_selector(actx *a, const ssmc_node *sel, const char *field, bool *list)
{
    *list = false;
    if (!sel || sel->type != SSMC_NODE_STRING || has_token(sel))
        return true;
    jpath p = {sel->str, sel->len, 0, false, 0, NULL};
    if (jp_parse(&p)) {
        *list = p.list;
        return true;
    }
    ssmc_diag_add(a->v->diags, SSMC_RULE_SSM8079, a->v->file, char_span(a, sel, p.bad),
                  "%s '%s' is not a JSONPath Automation can read: %s (column %zu of the "
                  "selector)",
                  field, sel->str, p.why, utf8_count(sel->str, p.bad) + 1);
    return false;
}

void automation_selector_type(actx *a, const ssmc_node *name, const ssmc_node *sel,
                              const ssmc_node *type)
{
    bool list = false;
    if (!automation_selector(a, sel, "Selector", &list) || !list)
        return;
    const char *t = type && type->type == SSMC_NODE_STRING ? type->str : "String";
    if (strcmp(t, "StringList") == 0 || strcmp(t, "MapList") == 0)
        return;
    if (strcmp(t, "String") && strcmp(t, "Integer") && strcmp(t, "Boolean") &&
        strcmp(t, "StringMap"))
        return; /* not a type: SSM8030 */
    ssmc_diag_add(a->v->diags, SSMC_RULE_SSM8080, a->v->file, type ? type->span : name->span,
                  "output '%s' selects a list ('%s': a deep scan, wildcard, filter, slice or "
                  "union) but %s %s; Automation converts only a one-item list to a single "
                  "value: declare Type: StringList (or MapList)",
                  name->str, sel->str, type ? "is declared" : "has no Type and is read as", t);
}

/* --- Service, Api, DesiredValues --------------------------------------- */

static size_t first_outside(const ssmc_node *n, const char *extra)
{
    size_t a = 0, b = n->len;
    while (a < b && jp_space(n->str[a]))
        a++;
    while (b > a && jp_space(n->str[b - 1]))
        b--;
    for (size_t i = a; i < b; i++) {
        char c = n->str[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              (c && strchr(extra, c))))
            return i;
    }
    return SIZE_MAX;
}

/* describe-instances -> DescribeInstances; ec2:DescribeInstances ->
 * DescribeInstances; NULL when no such repair applies. */
static char *api_repair(const char *s)
{
    const char *colon = strrchr(s, ':');
    if (colon && colon[1] && strspn(colon + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                               "0123456789") == strlen(colon + 1))
        return xstrdup(colon + 1);
    if (!strchr(s, '-'))
        return NULL;
    buf b;
    buf_init(&b);
    bool up = true;
    for (const char *p = s; *p; p++) {
        if (*p == '-') {
            up = true;
            continue;
        }
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))) {
            buf_free(&b);
            return NULL;
        }
        buf_addc(&b, up && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p);
        up = false;
    }
    return buf_steal(&b);
}

/* The Service, trimmed and in lower case (boto3 is given EC2 and 'logs '
 * by AWS-managed runbooks and accepts them). */
static char *service_name(const ssmc_node *svc)
{
    size_t lo = 0, hi = svc->len;
    while (lo < hi && jp_space(svc->str[lo]))
        lo++;
    while (hi > lo && jp_space(svc->str[hi - 1]))
        hi--;
    char *name = xstrndup(svc->str + lo, hi - lo);
    for (char *p = name; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return name;
}

static int cmp_name(const void *key, const void *item)
{
    return strcmp(key, *(const char *const *)item);
}

static bool known_service(const ssmc_node *svc)
{
    char *name = service_name(svc);
    bool found = bsearch(name, grammar_boto3_services, grammar_boto3_service_count,
                         sizeof *grammar_boto3_services, cmp_name) != NULL;
    free(name);
    return found;
}

static void unknown_service(actx *a, const ssmc_node *svc)
{
    char *name = service_name(svc);
    const char *g = did_you_mean(name, grammar_boto3_services, grammar_boto3_service_count);
    ssmc_diag_add(a->v->diags, SSMC_RULE_SSM8084, a->v->file, svc->span,
                  "Service '%s' is not a boto3 client%s%s%s (the %zu of botocore 1.43.11; a "
                  "service AWS added since is not listed)",
                  svc->str, g ? "; did you mean '" : "", g ? g : "", g ? "'?" : "",
                  grammar_boto3_service_count);
    free(name);
}

/* The operations of a service: the range of grammar_boto3_operations whose
 * entries start with "service:". */
static size_t service_operations(const char *service, size_t *first)
{
    size_t plen = strlen(service), lo = 0, hi = grammar_boto3_operation_count;
    while (lo < hi) { /* the first entry not below "service:" */
        size_t mid = lo + (hi - lo) / 2;
        const char *e = grammar_boto3_operations[mid];
        int c = strncmp(e, service, plen);
        if (c < 0 || (c == 0 && e[plen] < ':'))
            lo = mid + 1;
        else
            hi = mid;
    }
    *first = lo;
    hi = grammar_boto3_operation_count;
    while (lo < hi) { /* the first entry above every "service:..." (ec2 has 700) */
        size_t mid = lo + (hi - lo) / 2;
        const char *e = grammar_boto3_operations[mid];
        int c = strncmp(e, service, plen);
        if (c < 0 || (c == 0 && e[plen] <= ':'))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - *first;
}

/* Whether the n entries from first hold exactly "service:api", the way
 * documents mostly spell it: found by bisection before the walk that
 * compares without case and underscores. */
static bool has_exact_operation(size_t first, size_t n, size_t plen, const char *api)
{
    size_t lo = first, hi = first + n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(grammar_boto3_operations[mid] + plen + 1, api);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* DescribeInstances, describeInstances and describe_instances name the same
 * operation: compared without case and underscores. */
static bool same_operation(const char *api, const char *op)
{
    for (;;) {
        while (*api == '_')
            api++;
        char x = *api >= 'A' && *api <= 'Z' ? (char)(*api - 'A' + 'a') : *api;
        char y = *op >= 'A' && *op <= 'Z' ? (char)(*op - 'A' + 'a') : *op;
        if (x != y)
            return false;
        if (!x)
            return true;
        api++;
        op++;
    }
}

static void check_operation(actx *a, const ssmc_node *svc, const ssmc_node *api)
{
    char *service = service_name(svc);
    size_t first, n = service_operations(service, &first), plen = strlen(service);
    bool found = has_exact_operation(first, n, plen, api->str);
    const char **names = n && !found ? xcalloc(n, sizeof *names) : NULL;
    for (size_t i = 0; i < n && !found; i++) {
        names[i] = grammar_boto3_operations[first + i] + plen + 1;
        found = same_operation(api->str, names[i]);
    }
    if (n && !found) {
        const char *g = did_you_mean(api->str, names, n);
        ssmc_diag_add(a->v->diags, SSMC_RULE_SSM8085, a->v->file, api->span,
                      "Api '%s' is not an operation of %s%s%s%s (the %zu of botocore 1.43.11; "
                      "an operation AWS added since is not listed)",
                      api->str, service, g ? "; did you mean '" : "", g ? g : "", g ? "'?" : "",
                      n);
    }
    free(names);
    free(service);
}

void automation_api_inputs(actx *a, const astep *s)
{
    vctx *v = a->v;
    const ssmc_node *svc = ssmc_map_get(s->inputs, "Service");
    if (svc && svc->type == SSMC_NODE_STRING && !has_token(svc)) {
        size_t bad = first_outside(svc, "-");
        bool lower = true;
        for (size_t i = 0; i < svc->len; i++)
            lower = lower && !(svc->str[i] >= 'A' && svc->str[i] <= 'Z');
        if (bad != SIZE_MAX)
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8081, v->file, char_span(a, svc, bad),
                          "Service '%s' is not a boto3 client name (letters, digits and -, such "
                          "as ec2, ssm, elbv2, application-autoscaling); the step fails: no such "
                          "service",
                          svc->str);
        else if (!known_service(svc))
            unknown_service(a, svc);
        else if (!lower)
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8075, v->file, svc->span,
                          "Service '%s' is written with capitals; boto3 client names are "
                          "lower case (it works, but ec2, ssm, ... is the usual form)",
                          svc->str);
    }
    const ssmc_node *api = ssmc_map_get(s->inputs, "Api");
    if (api && api->type == SSMC_NODE_STRING && !has_token(api)) {
        size_t bad = first_outside(api, "_");
        if (bad != SIZE_MAX) {
            char *fix = api_repair(api->str);
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8081, v->file, char_span(a, api, bad),
                          "Api '%s' names no boto3 operation (DescribeInstances, or the method "
                          "describe_instances)%s%s%s; the step fails",
                          api->str, fix ? ": write '" : "", fix ? fix : "", fix ? "'" : "");
            free(fix);
        } else if (svc && svc->type == SSMC_NODE_STRING && !has_token(svc) && known_service(svc)) {
            check_operation(a, svc, api);
        }
    }
    bool polls = strcmp(s->action->name, "aws:waitForAwsResourceProperty") == 0 ||
                 strcmp(s->action->name, "aws:assertAwsResourceProperty") == 0;
    if (polls) {
        bool list = false;
        automation_selector(a, ssmc_map_get(s->inputs, "PropertySelector"), "PropertySelector",
                            &list);
    }
    const ssmc_node *dv = ssmc_map_get(s->inputs, "DesiredValues");
    if (polls && dv && dv->type == SSMC_NODE_SEQ && dv->count == 0)
        ssmc_diag_add(v->diags, SSMC_RULE_SSM8082, v->file, dv->span,
                      "DesiredValues is empty, so no value can match: %s",
                      strcmp(s->action->name, "aws:waitForAwsResourceProperty") == 0
                          ? "the step waits until it times out"
                          : "the assertion always fails");
    for (size_t i = 0; dv && dv->type == SSMC_NODE_SEQ && i < dv->count; i++) {
        const ssmc_node *it = dv->items[i];
        if (polls && (it->type == SSMC_NODE_MAP || it->type == SSMC_NODE_SEQ))
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8082, v->file, it->span,
                          "DesiredValues holds strings, the selected value's text; this item is "
                          "a %s, which no selected value equals",
                          ssmc_node_type_name(it->type));
        else if (it->type == SSMC_NODE_BOOL ||
                 (it->type == SSMC_NODE_STRING &&
                  (strcmp(it->str, "true") == 0 || strcmp(it->str, "false") == 0)))
            ssmc_diag_add(v->diags, SSMC_RULE_SSM8076, v->file, it->span,
                          "DesiredValues compares text of the Python value: write '%s'",
                          (it->type == SSMC_NODE_BOOL ? it->val.b : strcmp(it->str, "true") == 0)
                              ? "True"
                              : "False");
    }
}
