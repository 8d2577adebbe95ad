/* lsp_diagnostics.c — the findings of the check pipeline as LSP
 * diagnostics (textDocument/publishDiagnostics).
 *
 * The fast checks (every stage with ShellCheck off) run in the server
 * process after each debounced edit. ShellCheck runs on save, or after a
 * longer pause, in a forked child that runs the same pipeline with
 * ShellCheck on and sends back the whole publishDiagnostics message; the
 * server keeps answering meanwhile, and drops the child's message when the
 * text has changed since it started. */
#include "lsp.h"
#include "config_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

char *lsp_rule_href(const char *id)
{
    /* ShellCheck documents each of its codes on its wiki. */
    if (strncmp(id, "SC", 2) == 0)
        return xasprintf("https://www.shellcheck.net/wiki/%s", id);
    /* Every rule is explained by `ssmc rules ID` and by hovering its
     * range; the README's Rules section says so and is the one page that
     * exists for all of them. */
    return xstrdup(LSP_RULES_URI);
}

/* The rule id a finding shows: "SSM1012", or the external tool's "SC2086"
 * (as the command line's renderers show it). */
static const char *rule_id(const ssmc_diag *g)
{
    if (g->rule == SSMC_RULE_EXTERNAL)
        return g->external_rule ? g->external_rule : "external";
    return ssmc_rule_get(g->rule)->id;
}

static int lsp_severity(ssmc_severity severity)
{
    switch (severity) {
    case SSMC_SEV_ERROR:
        return 1;
    case SSMC_SEV_WARNING:
        return 2;
    default:
        return 3;
    }
}

/* The range of a span of another file (related information elsewhere). */
static json_t *foreign_range(const ssmc_source *src, ssmc_span span, lsp_encoding enc)
{
    ssmc_pos ends[2] = {span.start, span.end};
    json_t *pos[2];
    for (int k = 0; k < 2; k++) {
        uint32_t line = ends[k].line ? ends[k].line : 1;
        size_t len = 0;
        const char *text = src ? ssmc_source_line(src, line, &len) : NULL;
        size_t byte = text ? ssmc_source_offset(src, line, ends[k].col ? ends[k].col : 1) -
                                 (size_t)(text - src->data)
                           : 0;
        if (byte > len)
            byte = len;
        pos[k] = json_pack("{s:I,s:I}", "line", (json_int_t)line - 1, "character",
                           (json_int_t)(text ? lsp_units(text, byte, enc) : 0));
    }
    return json_pack("{s:o,s:o}", "start", pos[0], "end", pos[1]);
}

static json_t *span_range(const lsp_server *s, const lsp_doc *d, ssmc_span span)
{
    if (span.start.line == 0)
        return lsp_text_range_json(&d->text, s->enc, 0, 0);
    size_t end = span.end.line ? span.end.offset : span.start.offset;
    return lsp_text_range_json(&d->text, s->enc, span.start.offset,
                               end < span.start.offset ? span.start.offset : end);
}

/* The publishDiagnostics params of the findings about d's own text. Also
 * keeps them in d->findings when keep is set. */
static json_t *diagnostics_params(lsp_server *s, lsp_doc *d, ssmc_diags *diags, bool keep)
{
    ssmc_diags_sort(diags, &d->sources);
    json_t *list = json_array();
    if (keep) {
        lsp_findings_free(d);
        d->findings_version = d->version;
    }
    size_t cap = 0;
    for (size_t i = 0; i < diags->count; i++) {
        const ssmc_diag *g = &diags->items[i];
        if (g->file != d->file || g->severity == SSMC_SEV_OFF)
            continue;
        const char *id = rule_id(g);
        char *href = lsp_rule_href(id);
        json_t *item = json_pack("{s:o,s:i,s:s,s:{s:s},s:s,s:s}", "range",
                                 span_range(s, d, g->span), "severity", lsp_severity(g->severity),
                                 "code", id, "codeDescription", "href", href, "source",
                                 g->rule == SSMC_RULE_EXTERNAL ? "shellcheck" : "ssmc", "message",
                                 g->message);
        free(href);
        if (g->related_count) {
            json_t *related = json_array();
            for (size_t k = 0; k < g->related_count; k++) {
                const ssmc_related *r = &g->related[k];
                json_t *loc;
                if (r->file == d->file) {
                    loc = json_pack("{s:s,s:o}", "uri", d->uri, "range", span_range(s, d, r->span));
                } else {
                    const ssmc_source *src = ssmc_sources_get(&d->sources, r->file);
                    char *uri = src && src->name[0] == '/' ? lsp_path_to_uri(src->name) : NULL;
                    loc = json_pack("{s:s,s:o}", "uri", uri ? uri : d->uri, "range",
                                    foreign_range(src, r->span, s->enc));
                    free(uri);
                }
                json_array_append_new(related,
                                      json_pack("{s:o,s:s}", "location", loc, "message", r->message));
            }
            json_object_set_new(item, "relatedInformation", related);
        }
        json_array_append_new(list, item);
        if (keep) {
            GROW(d->findings, cap, d->finding_count + 1);
            lsp_finding *f = &d->findings[d->finding_count++];
            memset(f, 0, sizeof *f);
            f->rule = g->rule;
            f->start = g->span.start.line ? g->span.start.offset : 0;
            f->end = g->span.end.line ? g->span.end.offset : f->start;
            f->diagnostic = json_incref(item);
            /* A fix that edits another file is not offered: the action
             * would change a file the author does not see. */
            bool local = g->fix_count > 0;
            for (size_t k = 0; k < g->fix_count; k++)
                local = local && g->fixes[k].file == d->file;
            if (local) {
                f->edits = xcalloc(g->fix_count, sizeof *f->edits);
                for (size_t k = 0; k < g->fix_count; k++) {
                    f->edits[k].start = g->fixes[k].span.start.offset;
                    f->edits[k].end = g->fixes[k].span.end.offset;
                    f->edits[k].text = xstrdup(g->fixes[k].text);
                }
                f->edit_count = g->fix_count;
            }
        }
    }
    return json_pack("{s:s,s:I,s:o}", "uri", d->uri, "version", (json_int_t)d->version,
                     "diagnostics", list);
}

/* The findings about a .ssmc.yaml being edited: what config_file_apply
 * says about it (YAML 1.1 ambiguities are about SSM documents: "off" means
 * off in ours). */
static void config_findings(lsp_doc *d, ssmc_diags *diags)
{
    ssmc_diags found = {.sources = &d->sources};
    ssmc_document *doc = ssmc_load(&d->sources, d->file, NULL, &found);
    ssmc_config scratch;
    ssmc_config_init(&scratch);
    config_file_extra extra = {0};
    config_file_apply(doc, &scratch, &extra, &found);
    config_file_extra_free(&extra);
    ssmc_document_free(doc);
    for (size_t i = 0; i < found.count; i++) {
        if (found.items[i].rule == SSMC_RULE_SSM1019) {
            diag_free_fields(&found.items[i]);
            continue;
        }
        GROW(diags->items, diags->cap, diags->count + 1);
        diags->items[diags->count++] = found.items[i];
    }
    free(found.items);
}

/* The configuration of d's checks; with external false, without the
 * external checkers (ShellCheck, pyflakes), which run only in the on-save
 * child so that no keystroke waits for a process. */
static ssmc_config check_config(lsp_server *s, lsp_doc *d, bool external)
{
    lsp_doc_config(s, d);
    ssmc_config config = d->config;
    if (!external)
        config.shellcheck = config.pyflakes = "off";
    return config;
}

/* What `ssmc check` reads d as: a CloudFormation template or a Terraform
 * file holds the documents to check; NONE for a file it would skip. */
static ssmc_host_kind host_kind(const lsp_doc *d, const ssmc_config *config, const char *data,
                                size_t len)
{
    return config->document_type ? SSMC_HOST_DOCUMENT
                                 : ssmc_host_classify(d->path ? d->path : d->uri, data, len);
}

/* The pipeline of `ssmc check` on source `file` (a host's or a document's
 * tree: `tree`), as check_one of the command line runs it. */
static void check_source(ssmc_sources *sources, uint32_t file, ssmc_document *tree,
                         ssmc_host_kind kind, const ssmc_config *config, ssmc_diags *diags)
{
    lint_run *lint = lint_begin(config);
    if (iac_is_host(kind))
        iac_check_host(sources, file, kind, config, lint, diags);
    else
        check_document(sources, tree, config, lint, diags);
    check_end(sources, config, lint, diags);
}

/* The checks of d's current text. Its own tree (loaded anyway) serves the
 * editor features, a template's too. */
static void check(lsp_server *s, lsp_doc *d, bool external, ssmc_diags *diags)
{
    ssmc_config config = check_config(s, d, external);
    ssmc_host_kind kind = host_kind(d, &config, d->text.bytes.data, d->text.bytes.len);
    bool host = iac_is_host(kind);
    if (kind == SSMC_HOST_NONE || lsp_is_config_path(d->path)) {
        /* Every YAML and JSON file of the workspace reaches the server;
         * like a directory walk of `ssmc check`, it checks only those that
         * are SSM documents, templates, Terraform or associations (the
         * configuration file gets its own findings). */
        lsp_doc_load(s, d, NULL);
        if (lsp_is_config_path(d->path))
            config_findings(d, diags);
        return;
    }
    /* Always a fresh load: a host check adds the documents it finds to
     * the sources, which must not pile up from one check to the next. */
    ssmc_diags load = {.sources = &d->sources};
    lsp_doc_load(s, d, host ? &load : diags);
    ssmc_diags_free(&load);
    check_source(&d->sources, d->file, d->tree, kind, &config, diags);
}

void lsp_diag_check(lsp_server *s, lsp_doc *d)
{
    ssmc_diags diags = {.sources = &d->sources};
    check(s, d, false, &diags);
    lsp_notify(s, "textDocument/publishDiagnostics", diagnostics_params(s, d, &diags, true));
    ssmc_diags_free(&diags);
}

void lsp_findings_free(lsp_doc *d)
{
    for (size_t i = 0; i < d->finding_count; i++) {
        json_decref(d->findings[i].diagnostic);
        for (size_t k = 0; k < d->findings[i].edit_count; k++)
            free(d->findings[i].edits[k].text);
        free(d->findings[i].edits);
    }
    free(d->findings);
    d->findings = NULL;
    d->finding_count = 0;
}

json_t *lsp_code_actions(lsp_server *s, lsp_doc *d, size_t start, size_t end)
{
    /* Actions are computed on the text the client has now. */
    if (d->check_due >= 0 || d->findings_version != d->version) {
        d->check_due = -1;
        lsp_diag_check(s, d);
    }
    json_t *out = json_array();
    for (size_t i = 0; i < d->finding_count; i++) {
        const lsp_finding *f = &d->findings[i];
        if (!f->edit_count || f->end < start || f->start > end)
            continue;
        json_t *edits = json_array();
        for (size_t k = 0; k < f->edit_count; k++)
            json_array_append_new(
                edits, json_pack("{s:o,s:s}", "range",
                                 lsp_text_range_json(&d->text, s->enc, f->edits[k].start,
                                                     f->edits[k].end),
                                 "newText", f->edits[k].text));
        const ssmc_rule_info *info = ssmc_rule_get(f->rule);
        char *title = xasprintf("Fix %s: %s", info->id, info->summary);
        json_t *changes = json_object();
        json_object_set_new(changes, d->uri, edits);
        json_array_append_new(out, json_pack("{s:s,s:s,s:[O],s:b,s:{s:o}}", "title", title, "kind",
                                             "quickfix", "diagnostics", f->diagnostic,
                                             "isPreferred", 1, "edit", "changes", changes));
        free(title);
    }
    return out;
}

/* fix_file's check of the scratch copy fix-all works on: the pipeline of
 * check(), on the copy's bytes as they are after each pass. */
typedef struct fix_all_ctx {
    const lsp_doc *d;
    ssmc_sources *sources;
    ssmc_config config;
} fix_all_ctx;

static void fix_all_check(void *user, uint32_t file, ssmc_diags *diags)
{
    fix_all_ctx *c = user;
    const ssmc_source *src = ssmc_sources_get(c->sources, file);
    ssmc_host_kind kind = host_kind(c->d, &c->config, src->data, src->len);
    if (kind == SSMC_HOST_NONE)
        return;
    ssmc_document *tree = NULL;
    if (!iac_is_host(kind)) {
        ssmc_load_options options;
        lsp_doc_load_options(c->d, &options);
        tree = ssmc_load(c->sources, file, &options, diags);
    }
    check_source(c->sources, file, tree, kind, &c->config, diags);
    ssmc_document_free(tree);
}

static bool utf8_continuation(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

json_t *lsp_fix_all(lsp_server *s, lsp_doc *d)
{
    if (lsp_is_config_path(d->path))
        return NULL;
    ssmc_sources sources = {0};
    const char *old = d->text.bytes.data;
    size_t old_len = d->text.bytes.len;
    char *copy = xmalloc(old_len + 1);
    memcpy(copy, old, old_len);
    copy[old_len] = '\0';
    uint32_t file = ssmc_sources_add(&sources, d->path ? d->path : d->uri, copy, old_len);
    fix_all_ctx c = {d, &sources, check_config(s, d, false)};
    ssmc_diags diags = {.sources = &d->sources};
    fix_all_check(&c, file, &diags);
    fix_hooks hooks = {fix_all_check, NULL, &c};
    size_t fixed = fix_file(&sources, file, &diags, &hooks);
    ssmc_diags_free(&diags);
    const ssmc_source *after = ssmc_sources_get(&sources, file);
    const char *new_text = after->data;
    size_t new_len = after->len;
    json_t *action = NULL;
    if (fixed && (new_len != old_len || memcmp(old, new_text, old_len) != 0)) {
        /* One edit of the bytes that differ, its ends on character (and
         * CRLF) boundaries so that they are positions in every encoding. */
        size_t pre = 0, suf = 0;
        while (pre < old_len && pre < new_len && old[pre] == new_text[pre])
            pre++;
        while (pre > 0 && (utf8_continuation(old[pre]) || old[pre - 1] == '\r'))
            pre--;
        while (suf < old_len - pre && suf < new_len - pre &&
               old[old_len - 1 - suf] == new_text[new_len - 1 - suf])
            suf++;
        while (suf > 0 && (utf8_continuation(old[old_len - suf]) ||
                           (old[old_len - suf] == '\n' && old_len - suf > 0 &&
                            old[old_len - suf - 1] == '\r')))
            suf--;
        char *title = xasprintf("Fix all mechanically fixable ssmc findings (%zu)", fixed);
        /* NULL when the new text is not UTF-8 (a fix never makes it so). */
        json_t *edits = json_pack("[{s:o,s:o}]", "range",
                                  lsp_text_range_json(&d->text, s->enc, pre, old_len - suf),
                                  "newText", json_stringn(new_text + pre, new_len - suf - pre));
        if (edits) {
            json_t *changes = json_object();
            json_object_set_new(changes, d->uri, edits);
            action = json_pack("{s:s,s:s,s:{s:o}}", "title", title, "kind", LSP_FIX_ALL_KIND,
                               "edit", "changes", changes);
        }
        free(title);
    }
    ssmc_sources_free(&sources);
    return action;
}

void lsp_diag_clear(lsp_server *s, const char *uri)
{
    lsp_notify(s, "textDocument/publishDiagnostics",
               json_pack("{s:s,s:[]}", "uri", uri, "diagnostics"));
}

void lsp_diag_start_external(lsp_server *s, lsp_doc *d)
{
    lsp_doc_config(s, d);
    bool pyflakes_off = d->config.pyflakes && strcmp(d->config.pyflakes, "off") == 0;
    if (s->settings.no_external || (strcmp(d->config.shellcheck, "off") == 0 && pyflakes_off))
        return; /* the fast checks were all there is */
    int fds[2];
    if (pipe(fds) != 0)
        return;
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return;
    }
    if (pid == 0) {
        /* Only the server writes to the client: nothing of the child (nor
         * of ShellCheck) may reach stdout. */
        close(fds[0]);
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0 && null != s->out_fd) {
            dup2(null, s->out_fd);
            close(null);
        }
        ssmc_diags diags = {.sources = &d->sources};
        check(s, d, true, &diags);
        json_t *msg = json_pack("{s:s,s:s,s:o}", "jsonrpc", "2.0", "method",
                                "textDocument/publishDiagnostics", "params",
                                diagnostics_params(s, d, &diags, false));
        char *body = json_dumps(msg, JSON_COMPACT | JSON_PRESERVE_ORDER);
        _exit(body && fd_write_all(fds[1], body, strlen(body)) ? 0 : 3);
    }
    close(fds[1]);
    fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    d->external_pid = pid;
    d->external_fd = fds[0];
    d->external_version = d->version;
    d->external_out.len = 0;
}

void lsp_diag_external_ready(lsp_server *s, lsp_doc *d)
{
    buf *b = &d->external_out;
    for (;;) {
        buf_reserve(b, 65536);
        ssize_t r = read(d->external_fd, b->data + b->len, b->cap - b->len - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (r > 0) {
            b->len += (size_t)r;
            b->data[b->len] = '\0';
            continue;
        }
        break;
    }
    close(d->external_fd);
    d->external_fd = -1;
    int status = 0;
    while (waitpid(d->external_pid, &status, 0) < 0 && errno == EINTR)
        ;
    d->external_pid = 0;
    /* Stale when the text changed while ShellCheck ran; a newer run is
     * then already scheduled. */
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && d->version == d->external_version &&
        d->check_due < 0 && b->len)
        lsp_send_body(s, b->data, b->len);
    b->len = 0;
}
