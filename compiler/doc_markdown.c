/* doc_markdown.c — the Markdown reference page of `ssmc doc` (see
 * doc_markdown.h). The output is CommonMark with GitHub tables; every piece
 * of document text is escaped for the place it lands in (table cell, code
 * span, fenced block), so no document can break the page's structure. */
#include "doc_markdown.h"
#include "automation/automation.h"
#include "grammar.h"

#include <stdlib.h>
#include <string.h>

/* Input values in step summaries are cut after this many code points: the
 * page is a reference, the document itself holds the full text. */
#define SUMMARY_MAX_CHARS 120

/* Where inline text lands: a table cell cannot hold a line break or an
 * unescaped pipe (GitHub splits cells on '|' even inside code spans); a
 * heading or a list item must stay on one line. */
typedef enum md_place { MD_BLOCK, MD_CELL, MD_LINE } md_place;

/* --- text helpers -------------------------------------------------------- */

static bool node_is_string(const ssmc_node *n)
{
    return n && n->type == SSMC_NODE_STRING;
}

/* The text of a scalar as the service reads it ("null" for a null). */
static const char *scalar_text(const ssmc_node *n, size_t *len)
{
    if (!n || n->type == SSMC_NODE_NULL) {
        *len = 4;
        return "null";
    }
    *len = n->len;
    return n->str ? n->str : "";
}

/* Plain prose: escapes what would turn into Markdown syntax. */
static void md_text(buf *out, const char *s, size_t len, md_place place)
{
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '\r')
            continue;
        if (c == '\n') {
            buf_adds(out, place == MD_CELL ? "<br>" : place == MD_LINE ? " " : "\n");
            continue;
        }
        if (c == '\0') {
            buf_adds(out, "\\0");
            continue;
        }
        if (strchr("\\`*_[]<>|#", c))
            buf_addc(out, '\\');
        buf_addc(out, c);
    }
}

/* A fence line of author Markdown: up to three spaces, then three or more
 * backticks or tildes. Returns the fence's length (0: not a fence) and its
 * character. */
static size_t fence_at(const char *s, size_t len, size_t i, char *ch)
{
    size_t k = i;
    while (k < len && k - i < 3 && s[k] == ' ')
        k++;
    if (k >= len || (s[k] != '`' && s[k] != '~'))
        return 0;
    size_t n = 0;
    while (k + n < len && s[k + n] == s[k])
        n++;
    *ch = s[k];
    return n >= 3 ? n : 0;
}

/* Author-written Markdown (descriptions) kept as written, made safe for a
 * table cell when it goes into one, and safe for the page around it: raw
 * HTML is shown as text (a description cannot put a <script> or an <img> in
 * the page), and a code fence the author left open is closed so that it
 * does not swallow the rest of the page (issue 18). */
static void md_markdown(buf *out, const char *s, size_t len, md_place place)
{
    size_t open_fence = 0;
    char open_ch = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (place == MD_BLOCK && (i == 0 || s[i - 1] == '\n')) {
            char ch;
            size_t n = fence_at(s, len, i, &ch);
            if (n && !open_fence) {
                open_fence = n, open_ch = ch;
            } else if (n && ch == open_ch && n >= open_fence) {
                open_fence = 0;
            }
        }
        if (c == '`' && !open_fence) {
            /* A code span closed on the same line is copied as it is (a '<'
             * in it is code); an unclosed backtick is plain text. */
            size_t n = 1;
            while (i + n < len && s[i + n] == '`')
                n++;
            size_t end = i + n;
            while (end < len && s[end] != '\n') {
                size_t m = 0;
                while (end + m < len && s[end + m] == '`')
                    m++;
                if (m == n)
                    break;
                end += m ? m : 1;
            }
            size_t stop = end < len && s[end] == '`' ? end + n : i + n;
            for (size_t k = i; k < stop; k++)
                if (s[k] != '\r' && s[k] != '\0') {
                    if (place == MD_CELL && s[k] == '|')
                        buf_addc(out, '\\');
                    buf_addc(out, s[k]);
                }
            i = stop - 1;
            continue;
        }
        if (c == '\r' || c == '\0')
            continue;
        if (c == '<' && !open_fence) {
            buf_adds(out, "&lt;");
            continue;
        }
        if (place == MD_CELL && c == '\n') {
            /* A blank line is a paragraph break; a single newline is a space. */
            if (i + 1 < len && s[i + 1] == '\n') {
                buf_adds(out, "<br><br>");
                while (i + 1 < len && s[i + 1] == '\n')
                    i++;
            } else {
                buf_addc(out, ' ');
            }
            continue;
        }
        if (place == MD_CELL && c == '|')
            buf_addc(out, '\\');
        buf_addc(out, c);
    }
    if (open_fence) {
        buf_addc(out, '\n');
        for (size_t k = 0; k < open_fence; k++)
            buf_addc(out, open_ch);
    }
}

static size_t longest_backtick_run(const char *s, size_t len)
{
    size_t best = 0, run = 0;
    for (size_t i = 0; i < len; i++) {
        run = s[i] == '`' ? run + 1 : 0;
        if (run > best)
            best = run;
    }
    return best;
}

/* A code span that holds any text: the fence is longer than any backtick
 * run inside, and padded with spaces when the text starts or ends with a
 * backtick (CommonMark strips one space on each side). */
static void md_code(buf *out, const char *s, size_t len, md_place place)
{
    size_t fence = longest_backtick_run(s, len) + 1;
    bool pad = len && (s[0] == '`' || s[len - 1] == '`' ||
                       (s[0] == ' ' && s[len - 1] == ' '));
    for (size_t i = 0; i < fence; i++)
        buf_addc(out, '`');
    if (pad)
        buf_addc(out, ' ');
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '\n' || c == '\r')
            c = ' '; /* a code span shows line breaks as spaces anyway */
        if (c == '\0') {
            buf_adds(out, "\\0");
            continue;
        }
        if (place == MD_CELL && c == '|')
            buf_addc(out, '\\');
        buf_addc(out, c);
    }
    if (pad)
        buf_addc(out, ' ');
    for (size_t i = 0; i < fence; i++)
        buf_addc(out, '`');
}

static void md_codes(buf *out, const char *s, md_place place)
{
    md_code(out, s, strlen(s), place);
}

/* Cuts text after max code points (never inside a UTF-8 sequence).
 * Returns the byte length kept; *cut tells whether anything was dropped. */
static size_t clip(const char *s, size_t len, size_t max_chars, bool *cut)
{
    size_t i = 0, chars = 0;
    while (i < len && chars < max_chars) {
        size_t n = utf8_valid_len((const unsigned char *)s + i, len - i);
        i += n ? n : 1;
        chars++;
    }
    *cut = i < len;
    return i;
}

/* --- values as compact JSON ----------------------------------------------- */

static void json_string(buf *out, const char *s, size_t len)
{
    buf_addc(out, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': buf_adds(out, "\\\""); break;
        case '\\': buf_adds(out, "\\\\"); break;
        case '\n': buf_adds(out, "\\n"); break;
        case '\r': buf_adds(out, "\\r"); break;
        case '\t': buf_adds(out, "\\t"); break;
        default:
            if (c < 0x20)
                buf_printf(out, "\\u%04x", c);
            else
                buf_addc(out, (char)c);
        }
    }
    buf_addc(out, '"');
}

/* Writes node as compact JSON, stopping once out holds more than limit
 * bytes (the caller clips): an alias-heavy value cannot blow up a page. */
static void json_compact(buf *out, const ssmc_node *n, size_t limit)
{
    if (out->len > limit)
        return;
    size_t len;
    const char *s;
    switch (n ? n->type : SSMC_NODE_NULL) {
    case SSMC_NODE_NULL: buf_adds(out, "null"); break;
    case SSMC_NODE_BOOL: buf_adds(out, n->val.b ? "true" : "false"); break;
    case SSMC_NODE_INT:
    case SSMC_NODE_FLOAT:
        s = scalar_text(n, &len);
        buf_add(out, s, len);
        break;
    case SSMC_NODE_STRING: json_string(out, n->str, n->len); break;
    case SSMC_NODE_SEQ:
        buf_addc(out, '[');
        for (size_t i = 0; i < n->count && out->len <= limit; i++) {
            if (i)
                buf_addc(out, ',');
            json_compact(out, n->items[i], limit);
        }
        buf_addc(out, ']');
        break;
    case SSMC_NODE_MAP:
        buf_addc(out, '{');
        for (size_t i = 0; i < n->count && out->len <= limit; i++) {
            if (i)
                buf_addc(out, ',');
            s = scalar_text(n->pairs[i].key, &len);
            json_string(out, s, len);
            buf_addc(out, ':');
            json_compact(out, n->pairs[i].value, limit);
        }
        buf_addc(out, '}');
        break;
    }
}

/* A value shown in a code span: strings as their text, everything else as
 * compact JSON; long values clipped with an ellipsis. An empty string is
 * shown as "" so that it is visible. */
static void md_value(buf *out, const ssmc_node *n, md_place place)
{
    buf text;
    buf_init(&text);
    if (node_is_string(n) && n->len > 0)
        buf_add(&text, n->str, n->len);
    else if (node_is_string(n))
        buf_adds(&text, "\"\"");
    else
        json_compact(&text, n, SUMMARY_MAX_CHARS * 4);
    bool cut;
    size_t keep = clip(text.data ? text.data : "", text.len, SUMMARY_MAX_CHARS, &cut);
    md_code(out, text.data ? text.data : "", keep, place);
    if (cut)
        buf_adds(out, " …");
    buf_free(&text);
}

/* --- platforms ------------------------------------------------------------- */

static void platform_list(buf *out, unsigned bits)
{
    static const struct { unsigned bit; const char *name; } names[] = {
        {GRAMMAR_OS_LINUX, "Linux"}, {GRAMMAR_OS_WINDOWS, "Windows"}, {GRAMMAR_OS_MACOS, "macOS"}};
    bool any = false;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (bits & names[i].bit) {
            buf_adds(out, any ? ", " : "");
            buf_adds(out, names[i].name);
            any = true;
        }
    }
    if (!any)
        buf_adds(out, "none");
}

/* What a step's precondition says about where it runs. */
typedef struct precondition_info {
    bool present;
    bool platform_form;        /* StringEquals [platformType, OS] */
    unsigned platform_bits;    /* the OS of the platform form (0: no such OS) */
    bool parameter_form;       /* decided by parameter values at run time */
    bool unrecognized;         /* an operator or shape the agent fails */
} precondition_info;

static bool contains_braces(const ssmc_node *n)
{
    if (!node_is_string(n))
        return false;
    for (size_t i = 0; i + 1 < n->len; i++)
        if (n->str[i] == '{' && n->str[i + 1] == '{')
            return true;
    return false;
}

/* Follows the agent's evaluatePreconditions (spec 4.4): only StringEquals
 * with exactly two string arguments; the platform form compares the OS
 * case-insensitively. */
static precondition_info read_precondition(const ssmc_node *pre)
{
    precondition_info info = {0};
    if (!pre)
        return info;
    info.present = true;
    if (pre->type != SSMC_NODE_MAP || pre->count != 1) {
        info.unrecognized = true;
        return info;
    }
    const ssmc_node *key = pre->pairs[0].key, *args = pre->pairs[0].value;
    if (!node_is_string(key) || strcmp(key->str, "StringEquals") != 0 || !args ||
        args->type != SSMC_NODE_SEQ || args->count != 2 || !node_is_string(args->items[0]) ||
        !node_is_string(args->items[1])) {
        info.unrecognized = true;
        return info;
    }
    for (int i = 0; i < 2; i++) {
        const ssmc_node *a = args->items[i], *b = args->items[1 - i];
        if (str_eq_nocase(a->str, "platformType")) {
            info.platform_form = true;
            info.platform_bits = contains_braces(b) ? 0 : grammar_platform_bit(b->str);
            return info;
        }
    }
    info.parameter_form = true;
    return info;
}

/* --- page sections --------------------------------------------------------- */

typedef struct page {
    const ssmc_sources *sources;
    const ssmc_document *doc;
    const ssmc_node *root;
    const char *version;       /* schemaVersion text, or NULL */
    bool preconditions_work;   /* schemaVersion >= 2.2 */
    buf *out;
} page;

static void findings_note(page *p, const ssmc_diags *findings)
{
    if (!findings)
        return;
    size_t n = 0;
    for (size_t i = 0; i < findings->count; i++)
        if (findings->items[i].file == p->doc->file &&
            findings->items[i].severity == SSMC_SEV_WARNING)
            n++;
    if (!n)
        return;
    buf_printf(p->out, "> **Findings:** `ssmc check` reports %zu warning%s for this document:\n>\n",
               n, n == 1 ? "" : "s");
    for (size_t i = 0; i < findings->count; i++) {
        const ssmc_diag *d = &findings->items[i];
        if (d->file != p->doc->file || d->severity != SSMC_SEV_WARNING)
            continue;
        const char *rule = d->rule == SSMC_RULE_EXTERNAL
                               ? (d->external_rule ? d->external_rule : "external")
                               : ssmc_rule_get(d->rule)->id;
        buf_printf(p->out, "> - line %u, column %u: ", d->span.start.line, d->span.start.col);
        const char *msg = d->message ? d->message : "";
        md_text(p->out, msg, strlen(msg), MD_LINE);
        buf_adds(p->out, " (");
        md_codes(p->out, rule, MD_BLOCK);
        buf_adds(p->out, ")\n");
    }
    buf_addc(p->out, '\n');
}

static void constraint_sep(buf *out, bool *first)
{
    if (!*first)
        buf_adds(out, "<br>");
    *first = false;
}

static void scalar_constraint(buf *out, const ssmc_node *param, const char *key,
                              const char *label, bool *first)
{
    const ssmc_node *v = ssmc_map_get(param, key);
    if (!v)
        return;
    constraint_sep(out, first);
    buf_printf(out, "%s ", label);
    md_value(out, v, MD_CELL);
}

static void parameter_row(page *p, const ssmc_pair *pair)
{
    buf *out = p->out;
    size_t len, name_len;
    const char *name = scalar_text(pair->key, &name_len);
    const ssmc_node *param = pair->value;
    buf_adds(out, "| ");
    md_code(out, name, name_len, MD_CELL);
    buf_adds(out, " | ");
    const ssmc_node *type = ssmc_map_get(param, "type");
    if (type && ssmc_node_is_scalar(type)) {
        const char *t = scalar_text(type, &len);
        md_text(out, t, len, MD_CELL);
    } else {
        buf_adds(out, "—");
    }
    const ssmc_node *def = ssmc_map_get(param, "default");
    /* A parameter without a default must be given (spec 3.x: "required"). */
    buf_adds(out, def ? " | optional | " : " | required | ");
    if (def)
        md_value(out, def, MD_CELL);
    else
        buf_adds(out, "—");
    buf_adds(out, " | ");

    bool first = true;
    const ssmc_node *values = ssmc_map_get(param, "allowedValues");
    if (values) {
        constraint_sep(out, &first);
        buf_adds(out, "one of ");
        if (values->type == SSMC_NODE_SEQ) {
            for (size_t i = 0; i < values->count; i++) {
                if (i)
                    buf_adds(out, ", ");
                md_value(out, values->items[i], MD_CELL);
            }
        } else {
            md_value(out, values, MD_CELL);
        }
    }
    const ssmc_node *pattern = ssmc_map_get(param, "allowedPattern");
    if (pattern) {
        constraint_sep(out, &first);
        buf_adds(out, "pattern ");
        if (node_is_string(pattern))
            md_code(out, pattern->str, pattern->len, MD_CELL); /* never clipped */
        else
            md_value(out, pattern, MD_CELL);
    }
    scalar_constraint(out, param, "minChars", "min chars", &first);
    scalar_constraint(out, param, "maxChars", "max chars", &first);
    scalar_constraint(out, param, "minItems", "min items", &first);
    scalar_constraint(out, param, "maxItems", "max items", &first);
    const ssmc_node *interp = ssmc_map_get(param, "interpolationType");
    if (interp) {
        constraint_sep(out, &first);
        buf_adds(out, "interpolation ");
        md_value(out, interp, MD_CELL);
        if (node_is_string(interp) && strcmp(interp->str, "ENV_VAR") == 0) {
            /* The agent exports the value as SSM_<name> (spec 3.x ENV_VAR). */
            buf env;
            buf_init(&env);
            buf_adds(&env, "SSM_");
            buf_add(&env, name, name_len);
            buf_adds(out, " (environment variable ");
            md_code(out, env.data, env.len, MD_CELL);
            buf_adds(out, ")");
            buf_free(&env);
        }
    }
    if (first)
        buf_adds(out, "—");
    buf_adds(out, " | ");
    const ssmc_node *desc = ssmc_map_get(param, "description");
    if (node_is_string(desc) && desc->len)
        md_markdown(out, desc->str, desc->len, MD_CELL);
    else
        buf_adds(out, "—");
    buf_adds(out, " |\n");
}

static void parameters_section(page *p)
{
    const ssmc_node *params = ssmc_map_get(p->root, "parameters");
    buf_adds(p->out, "## Parameters\n\n");
    if (!params || params->type != SSMC_NODE_MAP || params->count == 0) {
        buf_adds(p->out, "This document takes no parameters.\n\n");
        return;
    }
    buf_adds(p->out, "| Name | Type | Required | Default | Constraints | Description |\n"
                     "|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < params->count; i++)
        if (params->pairs[i].value && params->pairs[i].value->type == SSMC_NODE_MAP)
            parameter_row(p, &params->pairs[i]);
    buf_addc(p->out, '\n');
}

/* A script plugin: its runCommand is shown as a fenced block. */
static const char *script_language(const char *action)
{
    if (strcmp(action, "aws:runShellScript") == 0)
        return "sh";
    if (strcmp(action, "aws:runPowerShellScript") == 0)
        return "powershell";
    return NULL;
}

/* "{{ name }}" alone: the commands come from a parameter. Returns the
 * parameter name's span or NULL. */
static const char *single_reference(const ssmc_node *n, size_t *len)
{
    if (!node_is_string(n))
        return NULL;
    const char *s = n->str, *e = n->str + n->len;
    while (s < e && (*s == ' ' || *s == '\t'))
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    if (e - s < 5 || memcmp(s, "{{", 2) != 0 || memcmp(e - 2, "}}", 2) != 0)
        return NULL;
    s += 2;
    e -= 2;
    while (s < e && *s == ' ')
        s++;
    while (e > s && e[-1] == ' ')
        e--;
    for (const char *c = s; c < e; c++)
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
              (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' || *c == '.'))
            return NULL;
    *len = (size_t)(e - s);
    return e > s ? s : NULL;
}

static void script_block(page *p, const ssmc_node *run, const char *language)
{
    buf *out = p->out;
    size_t len;
    const char *ref = single_reference(run, &len);
    if (ref) {
        buf_adds(out, "The commands are the value of the ");
        md_code(out, ref, len, MD_BLOCK);
        buf_adds(out, " parameter.\n\n");
        return;
    }
    buf script;
    buf_init(&script);
    if (run->type == SSMC_NODE_SEQ) {
        for (size_t i = 0; i < run->count; i++) {
            const char *s = scalar_text(run->items[i], &len);
            if (ssmc_node_is_scalar(run->items[i]))
                buf_add(&script, s, len);
            else
                json_compact(&script, run->items[i], SIZE_MAX);
            buf_addc(&script, '\n');
        }
    } else if (ssmc_node_is_scalar(run)) {
        const char *s = scalar_text(run, &len);
        buf_add(&script, s, len);
        if (!len || s[len - 1] != '\n')
            buf_addc(&script, '\n');
    } else {
        json_compact(&script, run, SIZE_MAX);
        buf_addc(&script, '\n');
    }
    /* A fence longer than any backtick run in the script, at least three. */
    size_t fence = longest_backtick_run(script.data ? script.data : "", script.len) + 1;
    if (fence < 3)
        fence = 3;
    buf_adds(out, "Script:\n\n");
    for (size_t i = 0; i < fence; i++)
        buf_addc(out, '`');
    buf_printf(out, "%s\n", language);
    for (size_t i = 0; i < script.len; i++)
        if (script.data[i] != '\0' && script.data[i] != '\r')
            buf_addc(out, script.data[i]);
    for (size_t i = 0; i < fence; i++)
        buf_addc(out, '`');
    buf_adds(out, "\n\n");
    buf_free(&script);
}

static void timeout_row(page *p, const grammar_plugin *plugin, const ssmc_node *inputs)
{
    const ssmc_node *t = ssmc_map_get(inputs, "timeoutSeconds");
    bool has_input = plugin && grammar_plugin_input(plugin, "timeoutSeconds", NULL);
    if (!t && !has_input)
        return;
    buf_adds(p->out, "| Timeout | ");
    if (!t) {
        /* The agent's default execution timeout (appconfig
         * DefaultExecutionTimeoutInSeconds). */
        buf_adds(p->out, "3600 seconds (default)");
    } else if (contains_braces(t) || !ssmc_node_is_scalar(t)) {
        size_t len;
        const char *ref = single_reference(t, &len);
        if (ref) {
            buf_adds(p->out, "seconds from the ");
            md_code(p->out, ref, len, MD_CELL);
            buf_adds(p->out, " parameter");
        } else {
            md_value(p->out, t, MD_CELL);
        }
    } else {
        size_t len;
        const char *s = scalar_text(t, &len);
        md_text(p->out, s, len, MD_CELL);
        buf_adds(p->out, " seconds");
    }
    buf_adds(p->out, " |\n");
}

static void precondition_text(page *p, const ssmc_node *pre, const precondition_info *info)
{
    buf *out = p->out;
    if (info->platform_form || info->parameter_form) {
        const ssmc_node *args = pre->pairs[0].value;
        md_value(out, args->items[0], MD_CELL);
        buf_adds(out, " equals ");
        md_value(out, args->items[1], MD_CELL);
    } else {
        md_value(out, pre, MD_CELL);
    }
    if (!p->preconditions_work)
        buf_adds(out, " (not supported before schemaVersion 2.2: the agent fails the step)");
    else if (info->unrecognized)
        buf_adds(out, " (not understood by the agent: it fails the step)");
    else if (info->parameter_form)
        buf_adds(out, " (decided by the parameter values when the command runs)");
}

/* Lists the inputs not shown elsewhere (the script input named skip, the
 * timeout, an aws:loop's nested Steps). */
static void inputs_list(page *p, const ssmc_node *inputs, const char *skip)
{
    if (!inputs || inputs->type != SSMC_NODE_MAP) {
        if (inputs && inputs->type != SSMC_NODE_NULL) {
            buf_adds(p->out, "Inputs: ");
            md_value(p->out, inputs, MD_BLOCK);
            buf_adds(p->out, "\n\n");
        }
        return;
    }
    size_t shown = 0;
    for (size_t i = 0; i < inputs->count; i++) {
        size_t len;
        const char *name = scalar_text(inputs->pairs[i].key, &len);
        if ((skip && strcmp(name, skip) == 0) || strcmp(name, "timeoutSeconds") == 0)
            continue;
        if (!shown++)
            buf_adds(p->out, "Inputs:\n\n");
        buf_adds(p->out, "- ");
        md_code(p->out, name, len, MD_BLOCK);
        buf_adds(p->out, ": ");
        md_value(p->out, inputs->pairs[i].value, MD_BLOCK);
        buf_addc(p->out, '\n');
    }
    if (shown)
        buf_addc(p->out, '\n');
}

/* One step: a heading, a property table, its inputs and script. Returns the
 * platforms it can run on. name may be NULL (1.2 runtimeConfig entries are
 * named by their plugin). */
static unsigned step_section(page *p, size_t number, const ssmc_node *name_node,
                             const char *action, const ssmc_node *precondition,
                             const ssmc_node *inputs)
{
    buf *out = p->out;
    size_t len;
    buf_printf(out, "### %zu. ", number);
    if (name_node && ssmc_node_is_scalar(name_node)) {
        const char *name = scalar_text(name_node, &len);
        md_text(out, name, len, MD_LINE);
    } else {
        md_text(out, action, strlen(action), MD_LINE);
    }
    buf_adds(out, "\n\n| Property | Value |\n|---|---|\n| Plugin | ");
    const grammar_plugin *plugin = grammar_plugin_find(action);
    md_codes(out, action, MD_CELL);
    if (plugin && plugin->summary) {
        buf_adds(out, " — ");
        md_text(out, plugin->summary, strlen(plugin->summary), MD_CELL);
    } else if (!plugin) {
        buf_adds(out, " (not a Command plugin ssmc knows)");
    }
    buf_adds(out, " |\n| Runs on | ");

    precondition_info pre = read_precondition(precondition);
    unsigned bits = plugin ? plugin->platforms : 0;
    if (pre.present && !p->preconditions_work)
        bits = 0; /* the agent fails the step everywhere */
    else if (pre.unrecognized)
        bits = 0;
    else if (pre.platform_form)
        bits &= pre.platform_bits;
    if (!plugin)
        buf_adds(out, "unknown");
    else
        platform_list(out, bits);
    if (plugin && bits && pre.parameter_form)
        buf_adds(out, " (when the precondition holds)");
    buf_adds(out, " |\n");
    if (precondition) {
        buf_adds(out, "| Precondition | ");
        precondition_text(p, precondition, &pre);
        buf_adds(out, " |\n");
    }
    timeout_row(p, plugin, inputs);
    buf_addc(out, '\n');

    const char *language = script_language(action);
    inputs_list(p, inputs, language ? "runCommand" : NULL);
    const ssmc_node *run = language ? ssmc_map_get(inputs, "runCommand") : NULL;
    if (run)
        script_block(p, run, language);
    return bits;
}

/* 2.x: mainSteps, in order. */
static unsigned main_steps_section(page *p, const ssmc_node *steps)
{
    unsigned all = 0;
    for (size_t i = 0; i < steps->count; i++) {
        const ssmc_node *step = steps->items[i];
        if (!step || step->type != SSMC_NODE_MAP)
            continue;
        const ssmc_node *action = ssmc_map_get(step, "action");
        const char *act = node_is_string(action) ? action->str : "?";
        all |= step_section(p, i + 1, ssmc_map_get(step, "name"), act,
                            ssmc_map_get(step, "precondition"), ssmc_map_get(step, "inputs"));
    }
    return all;
}

/* 1.2: runtimeConfig maps each plugin to its properties (one object or a
 * list of them); each property set is one run of the plugin. */
static unsigned runtime_config_section(page *p, const ssmc_node *config)
{
    unsigned all = 0;
    size_t number = 0;
    for (size_t i = 0; i < config->count; i++) {
        size_t len;
        const char *name = scalar_text(config->pairs[i].key, &len);
        const ssmc_node *entry = config->pairs[i].value;
        const ssmc_node *props = ssmc_map_get(entry, "properties");
        if (props && props->type == SSMC_NODE_SEQ) {
            for (size_t k = 0; k < props->count; k++)
                all |= step_section(p, ++number, NULL, name, NULL, props->items[k]);
        } else {
            all |= step_section(p, ++number, NULL, name, NULL, props);
        }
    }
    return all;
}

static void overview(page *p, buf *out, unsigned platforms, size_t params, size_t steps)
{
    buf_adds(out, "## Overview\n\n| Property | Value |\n|---|---|\n| Schema version | ");
    if (p->version)
        md_codes(out, p->version, MD_CELL);
    else
        buf_adds(out, "—");
    buf_adds(out, " |\n| Platforms | ");
    platform_list(out, platforms);
    buf_printf(out, " |\n| Parameters | %zu |\n| Steps | %zu |\n\n", params, steps);
}

/* --- Automation runbooks ------------------------------------------------- */

static void step_field_row(page *p, const ssmc_node *step, const char *field, const char *label)
{
    const ssmc_node *n = ssmc_map_get(step, field);
    if (!n)
        return;
    buf_printf(p->out, "| %s | ", label);
    md_value(p->out, n, MD_CELL);
    buf_adds(p->out, " |\n");
}

static size_t automation_steps(page *p, const ssmc_node *steps, const char *prefix, size_t depth)
{
    buf *out = p->out;
    size_t count = 0;
    for (size_t i = 0; steps && steps->type == SSMC_NODE_SEQ && i < steps->count && depth < 8; i++) {
        const ssmc_node *step = steps->items[i];
        if (step->type != SSMC_NODE_MAP)
            continue;
        count++;
        const ssmc_node *name = ssmc_map_get(step, "name");
        const ssmc_node *action = ssmc_map_get(step, "action");
        const char *act = node_is_string(action) ? action->str : "?";
        size_t len;
        buf_printf(out, "### %s%zu. ", prefix, i + 1);
        if (name && ssmc_node_is_scalar(name)) {
            const char *n = scalar_text(name, &len);
            md_text(out, n, len, MD_LINE);
        } else {
            buf_adds(out, "(no name)");
        }
        buf_adds(out, "\n\n| Property | Value |\n|---|---|\n| Action | ");
        md_codes(out, act, MD_CELL);
        const grammar_action *ga = grammar_action_find(act);
        if (ga && ga->summary) {
            buf_adds(out, " — ");
            md_text(out, ga->summary, strlen(ga->summary), MD_CELL);
        }
        buf_adds(out, " |\n");
        static const char *const fields[][2] = {
            {"nextStep", "Next step"}, {"isEnd", "Ends the run"}, {"onFailure", "On failure"},
            {"onCancel", "On cancel"}, {"maxAttempts", "Attempts"},
            {"timeoutSeconds", "Timeout (s)"}, {"isCritical", "Critical"}};
        for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
            step_field_row(p, step, fields[f][0], fields[f][1]);
        buf_addc(out, '\n');
        const ssmc_node *desc = ssmc_map_get(step, "description");
        if (node_is_string(desc) && desc->len) {
            md_markdown(out, desc->str, desc->len, MD_BLOCK);
            buf_adds(out, "\n\n");
        }
        const ssmc_node *inputs = ssmc_map_get(step, "inputs");
        bool script = strcmp(act, "aws:executeScript") == 0;
        bool loop = strcmp(act, "aws:loop") == 0;
        inputs_list(p, inputs, script ? "Script" : loop ? "Steps" : NULL);
        const ssmc_node *code = script ? ssmc_map_get(inputs, "Script") : NULL;
        if (code && node_is_string(code)) {
            const ssmc_node *rt = ssmc_map_get(inputs, "Runtime");
            script_block(p, code,
                         node_is_string(rt) && strncmp(rt->str, "PowerShell", 10) == 0
                             ? "powershell"
                             : "python");
        }
        const ssmc_node *outs = ssmc_map_get(step, "outputs");
        if (outs && outs->type == SSMC_NODE_SEQ && outs->count) {
            buf_adds(out, "Outputs:\n\n");
            for (size_t k = 0; k < outs->count; k++) {
                const ssmc_node *o = outs->items[k];
                const ssmc_node *on = o->type == SSMC_NODE_MAP ? ssmc_map_get(o, "Name") : NULL;
                const ssmc_node *ot = o->type == SSMC_NODE_MAP ? ssmc_map_get(o, "Type") : NULL;
                const ssmc_node *os = o->type == SSMC_NODE_MAP ? ssmc_map_get(o, "Selector") : NULL;
                buf_adds(out, "- ");
                md_codes(out, node_is_string(on) ? on->str : "?", MD_BLOCK);
                buf_printf(out, " (%s)", node_is_string(ot) ? ot->str : "no Type");
                if (node_is_string(os)) {
                    buf_adds(out, ": ");
                    md_codes(out, os->str, MD_BLOCK);
                }
                buf_addc(out, '\n');
            }
            buf_addc(out, '\n');
        }
        if (loop) {
            char *inner = xasprintf("%s%zu.", prefix, i + 1);
            count += automation_steps(p, ssmc_map_get(inputs, "Steps"), inner, depth + 1);
            free(inner);
        }
    }
    return count;
}

static void automation_page(page *p, buf *out)
{
    buf steps;
    buf_init(&steps);
    p->out = &steps;
    buf_adds(&steps, "## Steps\n\n");
    size_t step_count = automation_steps(p, ssmc_map_get(p->root, "mainSteps"), "", 0);
    buf params;
    buf_init(&params);
    p->out = &params;
    parameters_section(p);
    const ssmc_node *pnode = ssmc_map_get(p->root, "parameters");
    buf_adds(out, "## Overview\n\n| Property | Value |\n|---|---|\n| Document type | Automation |\n"
                  "| Schema version | ");
    md_codes(out, p->version ? p->version : "?", MD_CELL);
    buf_adds(out, " |\n| Assume role | ");
    const ssmc_node *role = ssmc_map_get(p->root, "assumeRole");
    if (node_is_string(role) && role->len)
        md_codes(out, role->str, MD_CELL);
    else
        buf_adds(out, "— (the caller's permissions)");
    buf_printf(out, " |\n| Parameters | %zu |\n| Steps | %zu |\n\n",
               pnode && pnode->type == SSMC_NODE_MAP ? (size_t)pnode->count : 0, step_count);
    buf_add(out, params.data ? params.data : "", params.len);
    buf_adds(out, "## Flow\n\n");
    automation_mermaid(p->sources, p->doc, out);
    buf_add(out, steps.data ? steps.data : "", steps.len);
    const ssmc_node *outs = ssmc_map_get(p->root, "outputs");
    if (outs && outs->type == SSMC_NODE_SEQ && outs->count) {
        buf_adds(out, "## Outputs\n\n");
        for (size_t i = 0; i < outs->count; i++) {
            buf_adds(out, "- ");
            md_value(out, outs->items[i], MD_BLOCK);
            buf_addc(out, '\n');
        }
        buf_addc(out, '\n');
    }
    buf_free(&params);
    buf_free(&steps);
}

void doc_markdown_render(const ssmc_sources *sources, const ssmc_document *document,
                         const char *title, const ssmc_diags *findings, buf *out)
{
    buf_adds(out, "# ");
    md_text(out, title, strlen(title), MD_LINE);
    buf_adds(out, "\n\n");
    const ssmc_node *root = document ? document->root : NULL;
    if (!root || root->type != SSMC_NODE_MAP)
        return;

    page p = {sources, document, root, NULL, false, out};
    const ssmc_node *version = ssmc_map_get(root, "schemaVersion");
    if (version && ssmc_node_is_scalar(version) && version->type != SSMC_NODE_NULL) {
        p.version = version->str;
        p.preconditions_work = grammar_version_compare(version->str, "2.2") >= 0;
    }

    const ssmc_node *desc = ssmc_map_get(root, "description");
    if (node_is_string(desc) && desc->len) {
        size_t len = desc->len;
        while (len && (desc->str[len - 1] == '\n' || desc->str[len - 1] == ' '))
            len--;
        md_markdown(out, desc->str, len, MD_BLOCK);
        buf_adds(out, "\n\n");
    }
    findings_note(&p, findings);
    if (p.version && strcmp(p.version, "0.3") == 0) {
        automation_page(&p, out);
        while (out->len >= 2 && out->data[out->len - 1] == '\n' && out->data[out->len - 2] == '\n')
            out->data[--out->len] = '\0';
        return;
    }

    /* The steps are rendered first into their own buffer: the overview
     * above them needs the platforms they add up to. */
    buf steps;
    buf_init(&steps);
    p.out = &steps;
    unsigned platforms = 0;
    size_t step_count = 0;
    buf_adds(&steps, "## Steps\n\n");
    const ssmc_node *main_steps = ssmc_map_get(root, "mainSteps");
    const ssmc_node *runtime = ssmc_map_get(root, "runtimeConfig");
    if (main_steps && main_steps->type == SSMC_NODE_SEQ && main_steps->count) {
        buf_adds(&steps, "The steps run in this order, one at a time.\n\n");
        platforms = main_steps_section(&p, main_steps);
        step_count = main_steps->count;
    } else if (runtime && runtime->type == SSMC_NODE_MAP && runtime->count) {
        platforms = runtime_config_section(&p, runtime);
        step_count = runtime->count;
    } else {
        buf_adds(&steps, "This document has no steps.\n\n");
    }

    buf params;
    buf_init(&params);
    p.out = &params;
    parameters_section(&p);
    const ssmc_node *pnode = ssmc_map_get(root, "parameters");
    size_t param_count = pnode && pnode->type == SSMC_NODE_MAP ? pnode->count : 0;

    overview(&p, out, platforms, param_count, step_count);
    buf_add(out, params.data ? params.data : "", params.len);
    buf_add(out, steps.data ? steps.data : "", steps.len);
    buf_free(&params);
    buf_free(&steps);
    /* One trailing newline, as Markdown linters want. */
    while (out->len >= 2 && out->data[out->len - 1] == '\n' && out->data[out->len - 2] == '\n')
        out->data[--out->len] = '\0';
}
