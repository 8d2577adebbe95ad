/* lsp_complete.c — textDocument/completion.
 *
 * Completion is asked for while the author types, when the text often does
 * not load (a key without its colon yet). So where the cursor is — the
 * chain of keys above it, and whether it is on a key or a value — is read
 * from the YAML lines themselves, by indentation, and the names it offers
 * (parameters, steps, outputs) come from the last tree that loaded. What a
 * place accepts comes from the grammar tables the validator uses. JSON
 * documents get the {{ }} completions and the values of the key before the
 * cursor. */
#include "lsp.h"
#include "grammar.h"
#include "validate.h"

#include <stdlib.h>
#include <string.h>

#define MAX_LEVELS 32

/* One YAML line, as far as completion needs it. */
typedef struct yline {
    size_t dash;          /* column of the last "- " list marker, or SIZE_MAX */
    size_t key_col;       /* column where the key (or scalar) starts */
    const char *key;      /* the key without quotes, or NULL when no "key:" */
    size_t key_len;
    size_t value_col;     /* where the value starts, after "key: " */
    bool blank;           /* nothing but spaces or a comment */
} yline;

static void parse_yline(const char *s, size_t len, yline *y)
{
    memset(y, 0, sizeof *y);
    y->dash = SIZE_MAX;
    size_t i = 0;
    while (i < len && s[i] == ' ')
        i++;
    while (i < len && s[i] == '-' && (i + 1 == len || s[i + 1] == ' ')) {
        y->dash = i++;
        while (i < len && s[i] == ' ')
            i++;
    }
    y->key_col = i;
    y->blank = (i == len || s[i] == '#') && y->dash == SIZE_MAX;
    /* "key:" then a space or the end; quoted keys too. */
    size_t k = i;
    char quote = i < len && (s[i] == '"' || s[i] == '\'') ? s[i] : 0;
    if (quote) {
        const char *close = memchr(s + i + 1, quote, len - i - 1);
        if (!close)
            return;
        k = (size_t)(close - s) + 1;
    }
    for (; k < len; k++) {
        if (s[k] == ':' && (k + 1 == len || s[k + 1] == ' ')) {
            y->key = quote ? s + i + 1 : s + i;
            y->key_len = quote ? k - i - 2 : k - i;
            while (y->key_len && y->key[y->key_len - 1] == ' ')
                y->key_len--;
            y->value_col = k + 1;
            while (y->value_col < len && s[y->value_col] == ' ')
                y->value_col++;
            return;
        }
        if (s[k] == ' ' && k + 1 < len && s[k + 1] == '#')
            return;
    }
}

/* Where the cursor is. */
typedef struct where {
    const char *keys[MAX_LEVELS];   /* from the root; NULL for a list item */
    size_t key_lens[MAX_LEVELS];
    size_t item_lines[MAX_LEVELS];  /* for list items: the line the item starts on */
    size_t depth;
    bool value;                     /* after "key:" on the cursor's line */
    const char *vkey;               /* that key */
    size_t vkey_len;
    size_t word_start;              /* offset of what is typed so far */
    const char *prefix;             /* what is typed so far */
    size_t prefix_len;
    size_t line, key_col;           /* the cursor's line and where its key starts */
} where;

static bool level_is(const where *w, size_t level, const char *name)
{
    return level < w->depth && w->keys[level] && w->key_lens[level] == strlen(name) &&
           memcmp(w->keys[level], name, w->key_lens[level]) == 0;
}

static bool level_item(const where *w, size_t level)
{
    return level < w->depth && !w->keys[level];
}

/* The chain of keys above the cursor, read upward by indentation. */
static void where_yaml(const lsp_text *t, size_t offset, where *w)
{
    memset(w, 0, sizeof *w);
    size_t line = lsp_text_line_of(t, offset);
    const char *pre = t->bytes.data + t->lines[line];
    size_t pre_len = offset - t->lines[line];
    yline y;
    parse_yline(pre, pre_len, &y);
    w->line = line;
    w->key_col = y.key_col;
    const char *rev_keys[MAX_LEVELS];
    size_t rev_lens[MAX_LEVELS], rev_lines[MAX_LEVELS], n = 0;
    if (y.key) {
        w->value = true;
        w->vkey = y.key;
        w->vkey_len = y.key_len;
        size_t v = y.value_col;
        if (v < pre_len && (pre[v] == '"' || pre[v] == '\''))
            v++;
        w->word_start = t->lines[line] + v;
    } else {
        w->word_start = t->lines[line] + y.key_col;
    }
    w->prefix = t->bytes.data + w->word_start;
    w->prefix_len = offset - w->word_start;
    size_t cur = y.key_col;
    if (y.dash != SIZE_MAX) {
        rev_keys[n] = NULL, rev_lens[n] = 0, rev_lines[n++] = line;
        cur = y.dash;
    }
    for (size_t i = line; i-- > 0 && cur > 0 && n < MAX_LEVELS - 1;) {
        size_t len;
        const char *s = lsp_text_line(t, i, &len);
        yline p;
        parse_yline(s, len, &p);
        if (p.blank)
            continue;
        if (p.key_col < cur && p.key) {
            rev_keys[n] = p.key, rev_lens[n] = p.key_len, rev_lines[n++] = i;
            cur = p.key_col;
            if (p.dash != SIZE_MAX && n < MAX_LEVELS) {
                rev_keys[n] = NULL, rev_lens[n] = 0, rev_lines[n++] = i;
                cur = p.dash;
            }
        } else if (p.dash != SIZE_MAX && p.dash < cur) {
            rev_keys[n] = NULL, rev_lens[n] = 0, rev_lines[n++] = i;
            cur = p.dash;
        }
    }
    for (size_t i = 0; i < n; i++) {
        w->keys[i] = rev_keys[n - 1 - i];
        w->key_lens[i] = rev_lens[n - 1 - i];
        w->item_lines[i] = rev_lines[n - 1 - i];
    }
    w->depth = n;
}

/* The value of `key` in the list item that starts on line `first`. */
static char *item_value(const lsp_text *t, size_t first, const char *key)
{
    size_t len;
    const char *s = lsp_text_line(t, first, &len);
    yline head;
    parse_yline(s, len, &head);
    if (head.dash == SIZE_MAX)
        return NULL;
    for (size_t i = first; i < t->line_count; i++) {
        s = lsp_text_line(t, i, &len);
        yline y;
        parse_yline(s, len, &y);
        if (y.blank)
            continue;
        if (i > first && (y.key_col <= head.dash || (y.dash != SIZE_MAX && y.dash <= head.dash)))
            break;
        if (y.key && y.key_col == head.key_col && y.key_len == strlen(key) &&
            memcmp(y.key, key, y.key_len) == 0) {
            size_t end = len;
            while (end > y.value_col && s[end - 1] == ' ')
                end--;
            const char *v = s + y.value_col;
            size_t vl = end - y.value_col;
            if (vl >= 2 && (v[0] == '"' || v[0] == '\'') && v[vl - 1] == v[0])
                v++, vl -= 2;
            return xstrndup(v, vl);
        }
    }
    return NULL;
}

/* Does the mapping the cursor's line belongs to (its keys at column col)
 * already have `key`, on another line? Read from the lines around it, as
 * far as the block goes. */
static bool sibling_has(const lsp_text *t, size_t line, size_t col, const char *key)
{
    size_t key_len = strlen(key);
    size_t len;
    const char *here = lsp_text_line(t, line, &len);
    yline y;
    parse_yline(here, len, &y);
    /* A new list item's first key: nothing above belongs to its mapping. */
    int first = y.dash != SIZE_MAX ? 1 : -1;
    for (int dir = first; dir <= 1; dir += 2) {
        for (size_t i = line; dir < 0 ? i-- > 0 : ++i < t->line_count;) {
            const char *s = lsp_text_line(t, i, &len);
            parse_yline(s, len, &y);
            if (y.blank)
                continue;
            bool same = y.key && y.key_col == col && y.key_len == key_len &&
                        memcmp(y.key, key, key_len) == 0;
            /* A list item's first key sits after its dash: going up, the
             * item starts there (its key counts); going down, the next
             * item does. */
            if (y.dash != SIZE_MAX && y.key_col == col) {
                if (dir < 0 && same)
                    return true;
                break;
            }
            if (y.key_col < col || (y.dash != SIZE_MAX && y.dash < col))
                break;
            if (same)
                return true;
        }
    }
    return false;
}

/* --- the items ---------------------------------------------------------- */

/* LSP CompletionItemKind values. */
enum {
    CK_FUNCTION = 3,
    CK_FIELD = 5,
    CK_VARIABLE = 6,
    CK_CLASS = 7,
    CK_PROPERTY = 10,
    CK_VALUE = 12,
    CK_KEYWORD = 14,
    CK_ENUM_MEMBER = 20,
    CK_REFERENCE = 18,
    CK_OPERATOR = 24
};

typedef struct items {
    lsp_server *s;
    lsp_doc *d;
    json_t *list;
    size_t start, end;       /* the text the chosen item replaces */
    const char *prefix;
    size_t prefix_len;
    bool filtered;
    size_t line, col;        /* keys: the cursor's line and the keys' column */
    bool skip_present;       /* leave out keys the mapping already has */
} items;

static bool prefix_match(const items *it, const char *label)
{
    if (!it->prefix_len)
        return true;
    size_t n = strlen(label);
    if (n < it->prefix_len)
        return false;
    for (size_t i = 0; i < it->prefix_len; i++) {
        char a = label[i], b = it->prefix[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z')
            b = (char)(b - 'A' + 'a');
        if (a != b)
            return false;
    }
    return true;
}

static void add(items *it, const char *label, int kind, const char *detail, const char *doc,
                const char *insert)
{
    if (!prefix_match(it, label)) {
        it->filtered = true;
        return;
    }
    json_t *item = json_pack("{s:s,s:i}", "label", label, "kind", kind);
    if (detail)
        json_object_set_new(item, "detail", json_string(detail));
    if (doc && *doc)
        json_object_set_new(item, "documentation",
                            json_pack("{s:s,s:s}", "kind", "markdown", "value", doc));
    char sort[16];
    snprintf(sort, sizeof sort, "%05zu", json_array_size(it->list));
    json_object_set_new(item, "sortText", json_string(sort));
    json_object_set_new(item, "textEdit",
                        json_pack("{s:o,s:s}", "range",
                                  lsp_text_range_json(&it->d->text, it->s->enc, it->start, it->end),
                                  "newText", insert ? insert : label));
    json_array_append_new(it->list, item);
}

static void add_key(items *it, const char *name, int kind, const char *detail, const char *doc)
{
    if (it->skip_present && sibling_has(&it->d->text, it->line, it->col, name))
        return;
    char *insert = xasprintf("%s: ", name);
    add(it, name, kind, detail, doc, insert);
    free(insert);
}

static void add_inputs(items *it, const grammar_input *inputs, size_t count, bool keys)
{
    /* Required inputs first: they are what a new step needs. */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < count; i++) {
            const grammar_input *in = &inputs[i];
            if (in->agent_only || in->required != (pass == 0))
                continue;
            char *detail = xasprintf("%s%s", grammar_vtype_name(in->type),
                                     in->required ? " (required)" : "");
            if (keys)
                add_key(it, in->name, CK_PROPERTY, detail, in->doc);
            free(detail);
        }
}

static void add_values(items *it, const grammar_input *in)
{
    for (size_t i = 0; i < in->value_count; i++)
        add(it, in->values[i], CK_ENUM_MEMBER, NULL, NULL, NULL);
    if (in->type == GRAMMAR_T_BOOLEAN || in->type == GRAMMAR_T_BOOL_STRING) {
        add(it, "true", CK_KEYWORD, NULL, NULL, NULL);
        add(it, "false", CK_KEYWORD, NULL, NULL, NULL);
    }
}

static const char *str_of(const ssmc_node *n)
{
    return n && n->type == SSMC_NODE_STRING ? n->str : NULL;
}

/* The steps of a list, and of the Steps of an aws:loop among them: step
 * names are unique in the whole runbook. */
static void add_steps_of(items *it, const ssmc_node *steps, const char *prefix, size_t depth)
{
    for (size_t i = 0; steps && steps->type == SSMC_NODE_SEQ && depth < MAX_LEVELS &&
                       i < steps->count;
         i++) {
        const char *name = str_of(ssmc_map_get(steps->items[i], "name"));
        if (name) {
            char *label = xasprintf("%s%s", prefix, name);
            add(it, label, CK_REFERENCE, str_of(ssmc_map_get(steps->items[i], "action")), NULL,
                NULL);
            free(label);
        }
        add_steps_of(it, ssmc_map_get(ssmc_map_get(steps->items[i], "inputs"), "Steps"), prefix,
                     depth + 1);
    }
}

static void add_steps(items *it, const ssmc_node *root, const char *prefix)
{
    add_steps_of(it, root ? ssmc_map_get(root, "mainSteps") : NULL, prefix, 0);
}

static void add_params(items *it, const ssmc_node *root)
{
    const ssmc_node *params = root ? ssmc_map_get(root, "parameters") : NULL;
    for (size_t i = 0; params && params->type == SSMC_NODE_MAP && i < params->count; i++) {
        const ssmc_node *def = params->pairs[i].value;
        add(it, params->pairs[i].key->str, CK_VARIABLE, str_of(ssmc_map_get(def, "type")),
            str_of(ssmc_map_get(def, "description")), NULL);
    }
}

/* --- contexts ----------------------------------------------------------- */

/* Inside "{{" without its "}}" before the cursor on the line: parameter
 * names, or a step's outputs after "{{ Step.". */
static bool complete_ref(items *it, const ssmc_node *root, bool automation, size_t offset)
{
    const lsp_text *t = &it->d->text;
    size_t line_start = offset;
    while (line_start > 0 && t->bytes.data[line_start - 1] != '\n' &&
           t->bytes.data[line_start - 1] != '\r')
        line_start--;
    const char *s = t->bytes.data;
    size_t open = SIZE_MAX;
    for (size_t i = line_start; i + 1 < offset; i++) {
        if (s[i] == '{' && s[i + 1] == '{')
            open = i + 2, i++;
        else if (s[i] == '}' && s[i + 1] == '}')
            open = SIZE_MAX, i++;
    }
    if (open == SIZE_MAX)
        return false;
    size_t w = open;
    while (w < offset && s[w] == ' ')
        w++;
    for (size_t i = w; i < offset; i++) {
        char c = s[i];
        bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == ':' || c == '-';
        if (!word)
            return false; /* not a name being typed */
    }
    const char *dot = memchr(s + w, '.', offset - w);
    if (dot && automation && root) {
        /* {{ Step.Output }}: the outputs the step declares, then the
         * built-in outputs of its action. */
        const ssmc_node *step = lsp_step_named(root, s + w, (size_t)(dot - (s + w)));
        it->start = (size_t)(dot - s) + 1;
        it->prefix = dot + 1;
        it->prefix_len = offset - it->start;
        const ssmc_node *outs = ssmc_map_get(step, "outputs");
        for (size_t k = 0; outs && outs->type == SSMC_NODE_SEQ && k < outs->count; k++) {
            const char *out = str_of(ssmc_map_get(outs->items[k], "Name"));
            if (out)
                add(it, out, CK_FIELD, str_of(ssmc_map_get(outs->items[k], "Type")),
                    "declared output", NULL);
        }
        const grammar_action *a = grammar_action_find(str_of(ssmc_map_get(step, "action")) ?
                                                          str_of(ssmc_map_get(step, "action")) : "");
        for (size_t k = 0; a && k < a->output_count; k++)
            add(it, a->outputs[k].name, CK_FIELD, grammar_vtype_name(a->outputs[k].type),
                "built-in output", NULL);
        return true;
    }
    it->start = w;
    it->prefix = s + w;
    it->prefix_len = offset - w;
    add_params(it, root);
    if (automation) {
        add_steps(it, root, "");
        for (size_t i = 0; i < grammar_system_variable_count; i++)
            add(it, grammar_system_variables[i].name, CK_VALUE, "system variable",
                grammar_system_variables[i].doc, NULL);
    }
    return true;
}

static const grammar_plugin *step_plugin(const lsp_text *t, const where *w, size_t item_level)
{
    if (!level_item(w, item_level))
        return NULL;
    char *action = item_value(t, w->item_lines[item_level], "action");
    const grammar_plugin *p = action ? grammar_plugin_find(action) : NULL;
    free(action);
    return p;
}

static bool vkey_is(const where *w, const char *name)
{
    return w->vkey && w->vkey_len == strlen(name) && memcmp(w->vkey, name, w->vkey_len) == 0;
}

/* The deepest step level above the cursor, or SIZE_MAX. */
static size_t where_innermost_step(const where *w)
{
    return lsp_innermost_step(w->keys, w->key_lens, w->depth);
}

/* The Automation action of the step at level l, read from its lines. */
static const grammar_action *step_action(const lsp_text *t, const where *w, size_t l)
{
    char *name = item_value(t, w->item_lines[l], "action");
    const grammar_action *a = name ? grammar_action_find(name) : NULL;
    free(name);
    return a;
}

/* Inside a condition of the step at level l: aws:branch's Choices or
 * aws:loop's LoopCondition, at any depth of And, Or and Not. *choice is
 * set for the top of a Choices item, where NextStep goes. */
static bool in_condition(const lsp_text *t, const where *w, size_t l, bool *choice)
{
    *choice = false;
    if (l == SIZE_MAX || w->depth < l + 3 || !level_is(w, l + 1, "inputs"))
        return false;
    const grammar_action *a = step_action(t, w, l);
    if (!a)
        return false;
    if (strcmp(a->name, "aws:branch") == 0 && level_is(w, l + 2, "Choices") && w->depth >= l + 4) {
        *choice = w->depth == l + 4 && level_item(w, l + 3);
        return true;
    }
    return strcmp(a->name, "aws:loop") == 0 && level_is(w, l + 2, "LoopCondition");
}

static void add_condition_keys(items *it, bool choice)
{
    for (size_t i = 0; i < grammar_branch_key_count; i++) {
        const grammar_term *k = &grammar_branch_keys[i];
        bool logic = strcmp(k->name, "NextStep") != 0 && strcmp(k->name, "Variable") != 0;
        if (!logic && (choice || strcmp(k->name, "Variable") == 0))
            add_key(it, k->name, CK_PROPERTY, NULL, k->doc);
    }
    for (size_t i = 0; i < grammar_branch_operator_count; i++) {
        const grammar_branch_operator *op = &grammar_branch_operators[i];
        char *detail = xasprintf("%s operand", grammar_vtype_name(op->operand));
        add_key(it, op->name, CK_OPERATOR, detail, op->doc);
        free(detail);
    }
    for (size_t i = 0; i < grammar_branch_key_count; i++) {
        const grammar_term *k = &grammar_branch_keys[i];
        if (strcmp(k->name, "NextStep") != 0 && strcmp(k->name, "Variable") != 0)
            add_key(it, k->name, CK_KEYWORD, NULL, k->doc);
    }
}

/* The runtimes of aws:executeScript, current ones first; retired ones are
 * not offered (new runbooks cannot use them). */
static void add_runtimes(items *it)
{
    for (int status = GRAMMAR_RUNTIME_CURRENT; status <= GRAMMAR_RUNTIME_UNCONFIRMED; status++)
        for (size_t i = 0; i < grammar_script_runtime_count; i++)
            if ((int)grammar_script_runtimes[i].status == status)
                add(it, grammar_script_runtimes[i].name, CK_ENUM_MEMBER,
                    status == GRAMMAR_RUNTIME_CURRENT ? NULL : "not confirmed by AWS", NULL, NULL);
}

/* The values of an Automation runbook's place: a step field's, an input's
 * of the step's action, an operand of BooleanEquals. */
static bool complete_automation_value(items *it, const where *w, const ssmc_node *root)
{
    const lsp_text *t = &it->d->text;
    size_t l = where_innermost_step(w);
    if (l == SIZE_MAX)
        return false;
    char *key = xstrndup(w->vkey, w->vkey_len);
    bool done = false;
    bool choice;
    if (w->depth == l + 1) {
        const grammar_step_field *f = grammar_automation_step_field_find(key);
        for (size_t i = 0; f && i < f->value_count; i++) {
            size_t n = strlen(f->values[i]);
            if (n && f->values[i][n - 1] == ':')
                add_steps(it, root, f->values[i]);
            else
                add(it, f->values[i], CK_ENUM_MEMBER, NULL, NULL, NULL);
        }
        if (f && f->type == GRAMMAR_T_BOOLEAN) {
            add(it, "true", CK_KEYWORD, NULL, NULL, NULL);
            add(it, "false", CK_KEYWORD, NULL, NULL, NULL);
        }
        done = f != NULL;
    } else if (w->depth == l + 2 && level_is(w, l + 1, "inputs")) {
        const grammar_action *a = step_action(t, w, l);
        bool exact;
        const grammar_input *in = a ? grammar_action_input(a, key, &exact) : NULL;
        if (in && strcmp(a->name, "aws:executeScript") == 0 && strcmp(in->name, "Runtime") == 0)
            add_runtimes(it);
        else if (in)
            add_values(it, in);
        done = in != NULL;
    } else if (in_condition(t, w, l, &choice)) {
        const grammar_branch_operator *op = grammar_branch_operator_find(key);
        if (op && op->operand == GRAMMAR_T_BOOLEAN) {
            add(it, "true", CK_KEYWORD, NULL, NULL, NULL);
            add(it, "false", CK_KEYWORD, NULL, NULL, NULL);
        }
        done = op != NULL;
    }
    free(key);
    return done;
}

/* The keys of an Automation runbook's place: a step's fields, the inputs
 * of its action, the keys of an aws:branch condition. */
static bool complete_automation_key(items *it, const where *w)
{
    const lsp_text *t = &it->d->text;
    size_t l = where_innermost_step(w);
    bool choice;
    if (l == SIZE_MAX)
        return false;
    it->skip_present = true;
    if (w->depth == l + 1) {
        for (size_t i = 0; i < grammar_automation_step_field_count; i++) {
            const grammar_step_field *f = &grammar_automation_step_fields[i];
            char *detail = xasprintf("%s%s", grammar_vtype_name(f->type),
                                     f->required ? " (required)" : "");
            add_key(it, f->name, CK_PROPERTY, detail, f->doc);
            free(detail);
        }
        return true;
    }
    if (w->depth == l + 2 && level_is(w, l + 1, "inputs")) {
        const grammar_action *a = step_action(t, w, l);
        if (a)
            add_inputs(it, a->inputs, a->input_count, true);
        return true;
    }
    if (in_condition(t, w, l, &choice)) {
        add_condition_keys(it, choice);
        return true;
    }
    return false;
}

static void add_session_names(items *it, session_place place, bool keys)
{
    const char *name;
    for (size_t i = 0; (name = session_name_at(place, i)); i++) {
        if (keys)
            add_key(it, name, CK_PROPERTY, NULL, NULL);
        else
            add(it, name, CK_ENUM_MEMBER, NULL, NULL, NULL);
    }
}

static void complete_value(items *it, const where *w, const ssmc_node *root, bool automation)
{
    const lsp_text *t = &it->d->text;
    if (vkey_is(w, "sessionType") && w->depth == 0) {
        add_session_names(it, SESSION_TYPES, false);
        return;
    }
    size_t step = where_innermost_step(w);
    if (vkey_is(w, "action") && step != SIZE_MAX && w->depth == step + 1) {
        if (automation)
            for (size_t i = 0; i < grammar_automation_action_count; i++) {
                const grammar_action *a = grammar_action_find(grammar_automation_actions[i]);
                add(it, grammar_automation_actions[i], CK_FUNCTION, NULL, a ? a->summary : NULL,
                    NULL);
            }
        else
            for (size_t i = 0; i < grammar_plugin_count; i++)
                add(it, grammar_plugins[i].name, CK_FUNCTION, NULL, grammar_plugins[i].summary,
                    NULL);
        return;
    }
    if (vkey_is(w, "nextStep") || vkey_is(w, "NextStep") || vkey_is(w, "Default")) {
        add_steps(it, root, "");
        return;
    }
    if (automation && complete_automation_value(it, w, root))
        return;
    if (vkey_is(w, "type") && w->depth == 2 && level_is(w, 0, "parameters")) {
        for (size_t i = 0; i < grammar_param_type_count; i++)
            add(it, grammar_param_types[i].name, CK_CLASS, NULL, grammar_param_types[i].doc, NULL);
        return;
    }
    if (vkey_is(w, "schemaVersion") && w->depth == 0) {
        const grammar_kind *kind = grammar_kind_find(automation ? "Automation" : "Command");
        for (size_t i = 0; kind && i < kind->version_count; i++)
            add(it, kind->versions[i], CK_VALUE, NULL, NULL, NULL);
        return;
    }
    /* An input's allowed values. */
    const grammar_plugin *p = NULL;
    if (w->depth == 3 && level_is(w, 0, "mainSteps") && level_is(w, 2, "inputs"))
        p = step_plugin(t, w, 1);
    else if (w->depth >= 3 && level_is(w, 0, "runtimeConfig") && level_is(w, 2, "properties") &&
             w->keys[1]) {
        char *name = xstrndup(w->keys[1], w->key_lens[1]);
        p = grammar_plugin_find(name);
        free(name);
    }
    char *key = xstrndup(w->vkey, w->vkey_len);
    bool exact;
    const grammar_input *in = p ? grammar_plugin_input(p, key, &exact) : NULL;
    if (!in && !automation && w->depth == 3 && level_is(w, 2, "inputs"))
        in = grammar_shared_input(key, &exact);
    free(key);
    if (in)
        add_values(it, in);
}

static void complete_key(items *it, const where *w, const ssmc_node *root, bool automation,
                         bool session)
{
    const lsp_text *t = &it->d->text;
    if (automation && complete_automation_key(it, w))
        return;
    if (session && w->depth >= 1 && w->depth <= 2 &&
        (level_is(w, 0, "inputs") || level_is(w, 0, "properties"))) {
        const char *type = root ? str_of(ssmc_map_get(root, "sessionType")) : NULL;
        if (level_is(w, 0, "inputs")) {
            if (w->depth == 1)
                add_session_names(it, SESSION_INPUTS, true);
        } else if (type && strcmp(type, "Port") == 0)
            add_session_names(it, SESSION_PORT, true);
        else
            add_session_names(it, w->depth == 1 ? SESSION_OSES : SESSION_SHELL, true);
        return;
    }
    if (w->depth == 0) {
        const grammar_kind *kind =
            grammar_kind_find(session ? "Session" : automation ? "Automation" : "Command");
        for (size_t i = 0; kind && i < kind->key_count; i++)
            add_key(it, kind->keys[i].name, CK_PROPERTY,
                    kind->keys[i].required ? "required" : NULL, kind->keys[i].doc);
        return;
    }
    if (w->depth == 2 && level_is(w, 0, "parameters")) {
        for (size_t i = 0; i < grammar_param_prop_count; i++)
            add_key(it, grammar_param_props[i].name, CK_PROPERTY,
                    grammar_param_props[i].required ? "required" : NULL,
                    grammar_param_props[i].doc);
        return;
    }
    if (w->depth == 2 && level_is(w, 0, "mainSteps") && level_item(w, 1)) {
        it->skip_present = true;
        for (size_t i = 0; i < grammar_step_field_count; i++) {
            const grammar_step_field *f = &grammar_step_fields[i];
            if (!automation && f->use != GRAMMAR_FIELD_COMMAND)
                continue;
            add_key(it, f->name, CK_PROPERTY, f->required ? "required" : NULL, f->doc);
        }
        return;
    }
    if (w->depth == 3 && level_is(w, 0, "mainSteps") && level_is(w, 2, "precondition")) {
        for (size_t i = 0; i < grammar_precondition_operator_count; i++)
            add_key(it, grammar_precondition_operators[i], CK_OPERATOR, NULL, NULL);
        return;
    }
    if (w->depth == 3 && level_is(w, 0, "mainSteps") && level_is(w, 2, "inputs")) {
        it->skip_present = true;
        const grammar_plugin *p = step_plugin(t, w, 1);
        if (p)
            add_inputs(it, p->inputs, p->input_count, true);
        if (!automation)
            add_inputs(it, grammar_shared_inputs, grammar_shared_input_count, true);
        return;
    }
    if (w->depth == 1 && level_is(w, 0, "runtimeConfig")) {
        for (size_t i = 0; i < grammar_plugin_count; i++)
            add_key(it, grammar_plugins[i].name, CK_FUNCTION, NULL, grammar_plugins[i].summary);
        return;
    }
    if (w->depth >= 3 && level_is(w, 0, "runtimeConfig") && level_is(w, 2, "properties") &&
        w->keys[1]) {
        char *name = xstrndup(w->keys[1], w->key_lens[1]);
        const grammar_plugin *p = grammar_plugin_find(name);
        free(name);
        if (p)
            add_inputs(it, p->inputs, p->input_count, true);
    }
}

/* "key": "value being typed — the key of a JSON value. */
static bool json_value_key(const lsp_text *t, size_t offset, where *w)
{
    const char *s = t->bytes.data;
    size_t i = offset;
    while (i > 0 && s[i - 1] != '"' && s[i - 1] != '\n')
        i--;
    if (i == 0 || s[i - 1] != '"')
        return false;
    size_t word = i;
    i--;
    while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
        i--;
    if (i == 0 || s[i - 1] != ':')
        return false;
    i--;
    while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
        i--;
    if (i == 0 || s[i - 1] != '"')
        return false;
    size_t kend = i - 1, k = kend;
    while (k > 0 && s[k - 1] != '"')
        k--;
    w->value = true;
    w->vkey = s + k;
    w->vkey_len = kend - k;
    w->word_start = word;
    w->prefix = s + word;
    w->prefix_len = offset - word;
    return true;
}

json_t *lsp_completion(lsp_server *s, lsp_doc *d, size_t offset)
{
    const ssmc_node *root = lsp_doc_names_root(s, d);
    bool automation = false, session = false;
    if (root) {
        const char *v = str_of(ssmc_map_get(root, "schemaVersion"));
        automation = v && strcmp(v, "0.3") == 0;
        session = ssmc_map_get(root, "sessionType") != NULL;
    }
    items it = {s, d, json_array(), offset, offset, NULL, 0, false, 0, 0, false};
    if (!complete_ref(&it, root, automation, offset)) {
        bool json = d->tree && d->tree->format == SSMC_FORMAT_JSON;
        where w;
        if (json) {
            memset(&w, 0, sizeof w);
            if (json_value_key(&d->text, offset, &w)) {
                /* The place of a JSON value is not read from indentation:
                 * offer what its key takes wherever it is (a step field
                 * of a runbook, onFailure, is taken for one). */
                char *key = xstrndup(w.vkey, w.vkey_len);
                bool step_key = vkey_is(&w, "action") ||
                                (automation && grammar_automation_step_field_find(key));
                free(key);
                w.depth = step_key ? 2 : 0;
                w.keys[0] = w.depth ? "mainSteps" : NULL;
                w.key_lens[0] = w.depth ? 9 : 0;
                it.start = w.word_start;
                it.prefix = w.prefix;
                it.prefix_len = w.prefix_len;
                if (w.depth || !vkey_is(&w, "schemaVersion"))
                    complete_value(&it, &w, root, automation);
            }
        } else {
            where_yaml(&d->text, offset, &w);
            it.line = w.line;
            it.col = w.key_col;
            it.start = w.word_start;
            it.prefix = w.prefix;
            it.prefix_len = w.prefix_len;
            if (w.value)
                complete_value(&it, &w, root, automation);
            else
                complete_key(&it, &w, root, automation, session);
        }
    }
    return json_pack("{s:b,s:o}", "isIncomplete", it.filtered, "items", it.list);
}
