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
 * terminal flags, its {{ }} tokens (offsets, kinds, names and
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

/* Keeping a script's text costs memory the run did not touch before
 * (measured: 10 MB of scripts none of which recurs, 18 ms more of 120).
 * So texts are kept up to MEMO_FREE_TEXT_BYTES, and beyond it while each
 * byte kept has been repaid by MEMO_KEEP_PER_REPLAYED bytes replayed: a
 * run of copies keeps remembering, a run without any stops early. Never
 * more than MEMO_MAX_TEXT_BYTES: past it new scripts are linted as before
 * and not remembered. */
#define MEMO_FREE_TEXT_BYTES ((size_t)512 << 10)
#define MEMO_KEEP_PER_REPLAYED 8
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
} memo_entry;

/* The parameter definitions and schemaVersion of a document, interned:
 * a script's key names them by number. */
typedef struct memo_context {
    char *bytes;
    size_t len;
    uint64_t hash;
} memo_context;

struct lint_memo {
    memo_entry *entries;
    size_t entry_count, entry_cap;
    hash_index entry_index;
    size_t text_bytes;          /* texts and contexts kept */
    size_t replayed_bytes;      /* script bytes whose findings were replayed */
    buf scratch;                /* the key being built */
    memo_context *contexts;
    size_t context_count, context_cap;
    hash_index context_index;
};

size_t lint_memo_replays;

lint_memo *lint_memo_new(void)
{
    lint_memo *m = xcalloc(1, sizeof *m);
    hash_index_init(&m->entry_index, 256);
    hash_index_init(&m->context_index, 64);
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
    for (size_t i = 0; i < m->entry_count; i++) {
        memo_entry *e = &m->entries[i];
        free(e->header);
        free(e->text);
        items_free(e->items, e->count);
    }
    free(m->entries);
    hash_index_free(&m->entry_index);
    buf_free(&m->scratch);
    for (size_t i = 0; i < m->context_count; i++)
        free(m->contexts[i].bytes);
    free(m->contexts);
    hash_index_free(&m->context_index);
    free(m);
}

void lint_record_free(lint_record *rec)
{
    items_free(rec->items, rec->count);
    memset(rec, 0, sizeof *rec);
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
    buf *b = &m->scratch;
    b->len = 0;
    const char *schema = lint_map_str(root, "schemaVersion");
    put_bytes(b, schema ? schema : "", schema ? strlen(schema) : 0);
    put_u32(b, schema != NULL);
    /* Kept for the run like the texts, and within their budget. */
    if (!put_node(b, params, 0) || m->text_bytes + b->len > MEMO_MAX_TEXT_BYTES)
        return -1;
    uint64_t h = hash_mix(HASH_SEED, b->data, b->len);
    const hash_index *x = &m->context_index;
    for (size_t s = h & (x->slots - 1); x->at[s]; s = (s + 1) & (x->slots - 1)) {
        const memo_context *c = &m->contexts[x->at[s] - 1];
        if (x->hash[s] == h && c->len == b->len && memcmp(c->bytes, b->data, b->len) == 0)
            return (int)(x->at[s] - 1);
    }
    if (m->context_count >= INT32_MAX - 1)
        return -1;
    GROW(m->contexts, m->context_cap, m->context_count + 1);
    char *bytes = xmalloc(b->len);
    memcpy(bytes, b->data, b->len);
    m->contexts[m->context_count] = (memo_context){bytes, b->len, h};
    m->text_bytes += b->len;
    hash_index_add(&m->context_index, h, m->context_count);
    return (int)m->context_count++;
}

bool lint_memo_key(lint_memo *m, const lint_script *sc, int context, bool runbook, memo_key *key)
{
    memset(key, 0, sizeof *key);
    if (context < 0 || sc->text.len > UINT32_MAX)
        return false;
    buf *b = &m->scratch;
    b->len = 0;
    put_u32(b, (uint32_t)context);
    put_u32(b, (uint32_t)sc->lang);
    /* The step's name is read only to tell an aws:executeScript step
     * apart, which only a runbook's messages do (and finding the step
     * walks the runbook's steps). */
    bool execute_script = runbook && script_in_execute_script(sc);
    put_u32(b, (uint32_t)sc->session | (uint32_t)sc->terminal << 1 | (uint32_t)execute_script << 2);
    put_u32(b, (uint32_t)sc->ref_count);
    for (size_t i = 0; i < sc->ref_count; i++) {
        const script_ref *r = &sc->refs[i];
        /* The parameter a token names, by its place in the definitions
         * (which the context holds). */
        uint32_t param = UINT32_MAX;
        if (r->param && sc->params && sc->params->type == SSMC_NODE_MAP)
            for (uint32_t k = 0; k < sc->params->count && param == UINT32_MAX; k++)
                if (sc->params->pairs[k].value == r->param)
                    param = k;
        if (r->param && param == UINT32_MAX)
            return false;
        uint32_t fields[] = {(uint32_t)r->token.kind,       (uint32_t)r->token.start,
                             (uint32_t)r->token.end,        (uint32_t)r->token.name_start,
                             (uint32_t)r->token.name_len,   (uint32_t)r->token.agent_ssm_form,
                             param};
        buf_add(b, (const char *)fields, sizeof fields);
    }
    key->header = b->data;
    key->header_len = b->len;
    key->text = sc->text.data;
    key->text_len = sc->text.len;
    key->hash = hash_mix(hash_text_ends(key->text, key->text_len), key->header, key->header_len);
    return true;
}

static const memo_entry *find(const lint_memo *m, const memo_key *key)
{
    const hash_index *x = &m->entry_index;
    for (size_t s = key->hash & (x->slots - 1); x->at[s]; s = (s + 1) & (x->slots - 1)) {
        const memo_entry *e = &m->entries[x->at[s] - 1];
        if (x->hash[s] == key->hash && e->text_len == key->text_len &&
            e->header_len == key->header_len && memcmp(e->header, key->header, e->header_len) == 0 &&
            memcmp(e->text, key->text, e->text_len) == 0)
            return e;
    }
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
    m->replayed_bytes += e->text_len;
    lint_memo_replays++;
    return true;
}

void lint_memo_store(lint_memo *m, const memo_key *key, lint_record *rec, bool wrong_language,
                     lint_script *sc, bool script_ends)
{
    size_t kept = m->text_bytes + key->text_len;
    if (rec->unusable || kept > MEMO_MAX_TEXT_BYTES ||
        (kept > MEMO_FREE_TEXT_BYTES && kept / MEMO_KEEP_PER_REPLAYED > m->replayed_bytes)) {
        lint_record_free(rec);
        return;
    }
    if (m->entry_count >= UINT32_MAX - 1) {
        lint_record_free(rec);
        return;
    }
    GROW(m->entries, m->entry_cap, m->entry_count + 1);
    memo_entry *e = &m->entries[m->entry_count];
    memset(e, 0, sizeof *e);
    e->hash = key->hash;
    e->header = xmalloc(key->header_len);
    memcpy(e->header, key->header, key->header_len);
    e->header_len = key->header_len;
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
    hash_index_add(&m->entry_index, e->hash, m->entry_count++);
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
