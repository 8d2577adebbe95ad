/* memo.c — the built-in rules' findings of a script, replayed for every
 * later script of the run that the rules cannot tell from it.
 *
 * Repositories keep documents more than once: as JSON and as YAML, inside
 * a template and as the file it was cut from. Of the corpus's script bytes
 * 47% are a script already seen in the run (Command documents alone: 47%
 * too), and the rules are most of the time of a check of those documents.
 *
 * The key is everything the rules read, compared byte for byte (a hash
 * only picks the bucket): the script's text, language, session and
 * terminal flags, step name, its {{ }} tokens (offsets, kinds, names and
 * which parameter each names), the definitions of the document's
 * parameters, its schemaVersion, and whether the step is an
 * aws:executeScript. The rules report only through rule_report, rule_fix,
 * rule_fix_verbatim and rule_related_param (rules.c), which record what
 * they add in script offsets; a replay adds the same findings through the
 * new script's own position map, so positions and fixes are those of the
 * new script (a fix is checked against its source again). */
#include "lint.h"

#include <stdlib.h>
#include <string.h>

/* Texts kept for comparison, in all: past it new scripts are linted as
 * before and not remembered (memory stays in proportion to the input). */
#define MEMO_MAX_TEXT_BYTES ((size_t)64 << 20)
/* Deeper parameter definitions are not keyed (no document has them). */
#define MEMO_MAX_DEPTH 32

typedef struct memo_entry {
    uint64_t hash;
    char *header;           /* the key but the text */
    size_t header_len;
    char *text;             /* owned: the first script's own text, taken over */
    size_t text_len;
    lint_rec_item *items;
    size_t count;
    bool wrong_language;
    struct memo_entry *next;
} memo_entry;

/* The parameter definitions and schemaVersion of a document, interned:
 * a script's key names them by number. */
typedef struct memo_context {
    char *bytes;
    size_t len;
    uint64_t hash;
} memo_context;

struct lint_memo {
    memo_entry **slots;
    size_t slot_count, entry_count, text_bytes;
    memo_context *contexts;
    size_t context_count, context_cap;
};

size_t lint_memo_replays;

lint_memo *lint_memo_new(void)
{
    lint_memo *m = xcalloc(1, sizeof *m);
    m->slot_count = 256;
    m->slots = xcalloc(m->slot_count, sizeof *m->slots);
    return m;
}

static void items_free(lint_rec_item *items, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(items[i].text);
    free(items);
}

void lint_memo_free(lint_memo *m)
{
    if (!m)
        return;
    for (size_t s = 0; s < m->slot_count; s++)
        for (memo_entry *e = m->slots[s], *next; e; e = next) {
            next = e->next;
            free(e->header);
            free(e->text);
            items_free(e->items, e->count);
            free(e);
        }
    free(m->slots);
    for (size_t i = 0; i < m->context_count; i++)
        free(m->contexts[i].bytes);
    free(m->contexts);
    free(m);
}

void lint_record_free(lint_record *rec)
{
    items_free(rec->items, rec->count);
    memset(rec, 0, sizeof *rec);
}

static uint64_t mix(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 0x100000001b3u;
    return h;
}

/* Length and both ends of the text: enough to tell scripts apart in
 * practice, and a hash of every byte would cost a pass over each script
 * (equal candidates are compared whole anyway). */
static uint64_t text_hash(const char *s, size_t len)
{
    uint64_t h = mix(0xcbf29ce484222325u, &len, sizeof len);
    size_t head = len < 64 ? len : 64;
    h = mix(h, s, head);
    if (len > 64)
        h = mix(h, s + len - 64, 64);
    return h;
}

static void put_u32(buf *b, uint32_t v)
{
    buf_add(b, (const char *)&v, sizeof v);
}

static void put_bytes(buf *b, const char *s, size_t len)
{
    put_u32(b, (uint32_t)len);
    if (len)
        buf_add(b, s, len);
}

/* Type, text and children: what the rules can read of a definition (the
 * quoting style cannot matter to them, so a JSON and a YAML copy of a
 * document share their key). */
static bool put_node(buf *b, const ssmc_node *n, int depth)
{
    if (!n) {
        put_u32(b, UINT32_MAX);
        return true;
    }
    if (depth > MEMO_MAX_DEPTH)
        return false;
    put_u32(b, (uint32_t)n->type);
    if (n->type == SSMC_NODE_MAP) {
        put_u32(b, n->count);
        for (size_t i = 0; i < n->count; i++)
            if (!put_node(b, n->pairs[i].key, depth + 1) ||
                !put_node(b, n->pairs[i].value, depth + 1))
                return false;
    } else if (n->type == SSMC_NODE_SEQ) {
        put_u32(b, n->count);
        for (size_t i = 0; i < n->count; i++)
            if (!put_node(b, n->items[i], depth + 1))
                return false;
    } else {
        put_bytes(b, n->str ? n->str : "", n->str ? n->len : 0);
        put_u32(b, n->str != NULL);
    }
    return true;
}

int lint_memo_context(lint_memo *m, const ssmc_node *root, const ssmc_node *params)
{
    buf b;
    buf_init(&b);
    const char *schema = lint_map_str(root, "schemaVersion");
    put_bytes(&b, schema ? schema : "", schema ? strlen(schema) : 0);
    put_u32(&b, schema != NULL);
    if (!put_node(&b, params, 0)) {
        buf_free(&b);
        return -1;
    }
    uint64_t h = mix(0xcbf29ce484222325u, b.data, b.len);
    for (size_t i = 0; i < m->context_count; i++)
        if (m->contexts[i].hash == h && m->contexts[i].len == b.len &&
            memcmp(m->contexts[i].bytes, b.data, b.len) == 0) {
            buf_free(&b);
            return (int)i;
        }
    if (m->context_count >= INT32_MAX) {
        buf_free(&b);
        return -1;
    }
    GROW(m->contexts, m->context_cap, m->context_count + 1);
    m->contexts[m->context_count] = (memo_context){b.data, b.len, h};
    return (int)m->context_count++;
}

bool lint_memo_key(const lint_script *sc, int context, memo_key *key)
{
    memset(key, 0, sizeof *key);
    if (context < 0 || sc->text.len > UINT32_MAX)
        return false;
    buf *b = &key->header;
    buf_init(b);
    put_u32(b, (uint32_t)context);
    put_u32(b, (uint32_t)sc->lang);
    /* Only a runbook's messages tell an aws:executeScript step apart (and
     * finding the step walks the runbook's steps). */
    const char *schema = lint_map_str(sc->root, "schemaVersion");
    bool execute_script = schema && strcmp(schema, "0.3") == 0 && script_in_execute_script(sc);
    put_u32(b, (uint32_t)sc->session | (uint32_t)sc->terminal << 1 | (uint32_t)execute_script << 2);
    put_bytes(b, sc->step ? sc->step : "", sc->step ? strlen(sc->step) : 0);
    put_u32(b, sc->step != NULL);
    put_u32(b, (uint32_t)sc->ref_count);
    for (size_t i = 0; i < sc->ref_count; i++) {
        const script_ref *r = &sc->refs[i];
        /* The parameter a token names, by its place in the definitions
         * (which the context holds). */
        uint32_t param = UINT32_MAX;
        if (r->param && sc->params && sc->params->type == SSMC_NODE_MAP)
            for (uint32_t k = 0; k < sc->params->count; k++)
                if (sc->params->pairs[k].value == r->param)
                    param = k;
        if (r->param && param == UINT32_MAX) {
            buf_free(b);
            return false;
        }
        uint32_t fields[] = {(uint32_t)r->token.kind,       (uint32_t)r->token.start,
                             (uint32_t)r->token.end,        (uint32_t)r->token.name_start,
                             (uint32_t)r->token.name_len,   (uint32_t)r->token.agent_ssm_form,
                             param};
        buf_add(b, (const char *)fields, sizeof fields);
    }
    key->text = sc->text.data;
    key->text_len = sc->text.len;
    key->hash = mix(text_hash(key->text, key->text_len), b->data, b->len);
    return true;
}

void lint_memo_key_free(memo_key *key)
{
    buf_free(&key->header);
}

static memo_entry *find(const lint_memo *m, const memo_key *key)
{
    for (memo_entry *e = m->slots[key->hash % m->slot_count]; e; e = e->next)
        if (e->hash == key->hash && e->text_len == key->text_len &&
            e->header_len == key->header.len &&
            memcmp(e->header, key->header.data, e->header_len) == 0 &&
            memcmp(e->text, key->text, e->text_len) == 0)
            return e;
    return NULL;
}

bool lint_memo_replay(lint_memo *m, const memo_key *key, lint_script *sc, ssmc_diags *diags,
                      bool *wrong_language)
{
    const memo_entry *e = find(m, key);
    if (!e)
        return false;
    ssmc_diag *d = NULL;
    for (size_t i = 0; i < e->count; i++) {
        const lint_rec_item *it = &e->items[i];
        switch (it->kind) {
        case LINT_REC_FINDING:
            d = ssmc_diag_add(diags, it->rule, sc->file, script_span(sc, it->a, it->b), "%s",
                              it->text);
            break;
        case LINT_REC_FIX:
        case LINT_REC_FIX_VERBATIM:
            rule_fix_apply(sc, d, it->a, it->b, it->text, it->kind == LINT_REC_FIX);
            break;
        case LINT_REC_RELATED:
            ssmc_diag_add_related(d, sc->file, sc->params->pairs[it->param].key->span, "%s",
                                  it->text);
            break;
        }
    }
    *wrong_language = e->wrong_language;
    lint_memo_replays++;
    return true;
}

static void grow_table(lint_memo *m)
{
    size_t count = m->slot_count * 2;
    memo_entry **slots = xcalloc(count, sizeof *slots);
    for (size_t s = 0; s < m->slot_count; s++)
        for (memo_entry *e = m->slots[s], *next; e; e = next) {
            next = e->next;
            e->next = slots[e->hash % count];
            slots[e->hash % count] = e;
        }
    free(m->slots);
    m->slots = slots;
    m->slot_count = count;
}

void lint_memo_store(lint_memo *m, const memo_key *key, lint_record *rec, bool wrong_language,
                     lint_script *sc, bool script_ends)
{
    if (rec->unusable || m->text_bytes + key->text_len > MEMO_MAX_TEXT_BYTES) {
        lint_record_free(rec);
        return;
    }
    memo_entry *e = xcalloc(1, sizeof *e);
    e->hash = key->hash;
    e->header = xmalloc(key->header.len ? key->header.len : 1);
    memcpy(e->header, key->header.data, key->header.len);
    e->header_len = key->header.len;
    /* A script freed right after its rules hands its text over; one kept
     * for ShellCheck keeps its own. */
    if (script_ends) {
        e->text = sc->text.data;
        buf_init(&sc->text);
    } else {
        e->text = xmalloc(key->text_len + 1);
        memcpy(e->text, key->text, key->text_len);
    }
    e->text_len = key->text_len;
    e->items = rec->items;
    e->count = rec->count;
    e->wrong_language = wrong_language;
    memset(rec, 0, sizeof *rec);
    m->text_bytes += e->text_len;
    if (++m->entry_count > m->slot_count)
        grow_table(m);
    memo_entry **slot = &m->slots[e->hash % m->slot_count];
    e->next = *slot;
    *slot = e;
}

void lint_record_item(lint_record *rec, lint_rec_kind kind, ssmc_rule rule, size_t a, size_t b,
                      uint32_t param, const char *text)
{
    if (a > UINT32_MAX || b > UINT32_MAX) {
        rec->unusable = true;
        return;
    }
    GROW(rec->items, rec->cap, rec->count + 1);
    rec->items[rec->count++] =
        (lint_rec_item){kind, rule, (uint32_t)a, (uint32_t)b, param, xstrdup(text)};
}
