/* lsp_server.c — the LSP server loop: lifecycle, message dispatch, open
 * documents and their configuration.
 *
 * One thread. The loop polls the client's input and the pipes of running
 * ShellCheck children, and wakes up when a debounced check is due. Every
 * message is handled to the end before the next is read; a check that has
 * come due runs between two messages, so a client that waits for each
 * answer sees the same order every time. */
#include "lsp.h"
#include "config_file.h"
#include "doc_lookup.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int64_t lsp_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void lsp_send(lsp_server *s, json_t *message)
{
    if (s->write_failed) {
        json_decref(message);
        return;
    }
    if (!lsp_write(s->out_fd, message))
        s->write_failed = true;
}

void lsp_send_body(lsp_server *s, const char *body, size_t len)
{
    if (!s->write_failed && !lsp_write_body(s->out_fd, body, len))
        s->write_failed = true;
}

void lsp_notify(lsp_server *s, const char *method, json_t *params)
{
    lsp_send(s, json_pack("{s:s,s:s,s:o}", "jsonrpc", "2.0", "method", method, "params", params));
}

static void respond(lsp_server *s, json_t *id, json_t *result)
{
    lsp_send(s, json_pack("{s:s,s:O,s:o}", "jsonrpc", "2.0", "id", id ? id : json_null(), "result",
                          result ? result : json_null()));
}

static void respond_error(lsp_server *s, json_t *id, int code, const char *fmt, ...)
    SSMC_PRINTF(4, 5);
static void respond_error(lsp_server *s, json_t *id, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    lsp_send(s, json_pack("{s:s,s:O,s:{s:i,s:s}}", "jsonrpc", "2.0", "id", id ? id : json_null(),
                          "error", "code", code, "message", msg));
    free(msg);
}

/* A notification cannot be answered; a problem with one is reported with
 * window/logMessage (type 1, Error) so that it is visible in the client's
 * log and in tests. */
static void log_error(lsp_server *s, const char *fmt, ...) SSMC_PRINTF(2, 3);
static void log_error(lsp_server *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    lsp_notify(s, "window/logMessage", json_pack("{s:i,s:s}", "type", 1, "message", msg));
    free(msg);
}

/* --- settings ---------------------------------------------------------- */

static void free_words(char ***words, size_t *count)
{
    for (size_t i = 0; i < *count; i++)
        free((*words)[i]);
    free(*words);
    *words = NULL;
    *count = 0;
}

static void read_words(const json_t *arr, char ***words, size_t *count)
{
    free_words(words, count);
    size_t i, cap = 0;
    json_t *v;
    json_array_foreach(arr, i, v) {
        if (!json_is_string(v))
            continue;
        GROW(*words, cap, *count + 1);
        (*words)[(*count)++] = xstrdup(json_string_value(v));
    }
}

/* Reads {"ssmc": {...}} or the inner object itself: shellcheck, pyflakes,
 * debounceMs, externalDelayMs, enable, disable. Unknown keys are ignored, as clients
 * send the settings of every server in one object. */
static void apply_settings(lsp_server *s, const json_t *settings)
{
    if (!json_is_object(settings))
        return;
    const json_t *inner = json_object_get(settings, "ssmc");
    if (json_is_object(inner))
        settings = inner;
    lsp_settings *st = &s->settings;
    json_t *v;
    if (json_is_string(v = json_object_get(settings, "shellcheck"))) {
        free(st->owned_shellcheck);
        st->owned_shellcheck = xstrdup(json_string_value(v));
        st->shellcheck = st->owned_shellcheck;
    }
    if (json_is_string(v = json_object_get(settings, "pyflakes")) && *json_string_value(v)) {
        free(st->owned_pyflakes);
        st->owned_pyflakes = xstrdup(json_string_value(v));
        st->pyflakes = st->owned_pyflakes;
    }
    if (json_is_integer(v = json_object_get(settings, "debounceMs")) && json_integer_value(v) >= 0 &&
        json_integer_value(v) <= 60000)
        st->debounce_ms = (int)json_integer_value(v);
    if (json_is_integer(v = json_object_get(settings, "externalDelayMs")) &&
        json_integer_value(v) <= 600000)
        st->external_delay_ms = json_integer_value(v) < 0 ? -1 : (int)json_integer_value(v);
    if (json_is_array(v = json_object_get(settings, "enable")))
        read_words(v, &st->enable, &st->enable_count);
    if (json_is_array(v = json_object_get(settings, "disable")))
        read_words(v, &st->disable, &st->disable_count);
}

/* --- documents --------------------------------------------------------- */

lsp_doc *lsp_doc_find(lsp_server *s, const char *uri)
{
    for (size_t i = 0; i < s->doc_count; i++)
        if (strcmp(s->docs[i]->uri, uri) == 0)
            return s->docs[i];
    return NULL;
}

static void drop_tree(lsp_doc *d)
{
    ssmc_document_free(d->tree);
    d->tree = NULL;
    ssmc_sources_free(&d->sources);
    d->tree_current = false;
}

static bool has_root(const ssmc_document *doc)
{
    return doc && doc->root && doc->root->type == SSMC_NODE_MAP;
}

/* The current tree becomes the previous one if it loaded. */
static void retire_tree(lsp_doc *d)
{
    if (!has_root(d->tree)) {
        drop_tree(d);
        return;
    }
    ssmc_document_free(d->prev);
    ssmc_sources_free(&d->prev_sources);
    d->prev = d->tree;
    d->prev_sources = d->sources;
    d->tree = NULL;
    memset(&d->sources, 0, sizeof d->sources);
    d->tree_current = false;
}

const ssmc_node *lsp_doc_names_root(lsp_server *s, lsp_doc *d)
{
    lsp_doc_load(s, d, NULL);
    if (has_root(d->tree))
        return d->tree->root;
    return has_root(d->prev) ? d->prev->root : NULL;
}

static void drop_config(lsp_doc *d)
{
    free(d->config_path);
    free(d->config_shellcheck);
    free(d->config_shellcheck_options);
    d->config_path = d->config_shellcheck = d->config_shellcheck_options = NULL;
    d->config_loaded = false;
}

void lsp_doc_free(lsp_doc *d)
{
    if (!d)
        return;
    if (d->external_pid > 0) {
        /* Our own ShellCheck child, by its id: its result is not wanted. */
        kill(d->external_pid, SIGKILL);
        while (waitpid(d->external_pid, NULL, 0) < 0 && errno == EINTR)
            ;
        close(d->external_fd);
    }
    buf_free(&d->external_out);
    drop_tree(d);
    ssmc_document_free(d->prev);
    ssmc_sources_free(&d->prev_sources);
    drop_config(d);
    lsp_text_free(&d->text);
    lsp_findings_free(d);
    free(d->uri);
    free(d->path);
    free(d->language);
    free(d);
}

void lsp_doc_load_options(const lsp_doc *d, ssmc_load_options *options)
{
    /* The client's language wins over the file name's extension. */
    ssmc_load_options_init(options);
    if (d->language && strcmp(d->language, "json") == 0)
        options->format = SSMC_FORMAT_JSON;
    else if (d->language && strcmp(d->language, "yaml") == 0)
        options->format = SSMC_FORMAT_YAML;
}

void lsp_doc_load(lsp_server *s, lsp_doc *d, ssmc_diags *diags)
{
    (void)s;
    if (d->tree_current && !diags)
        return;
    retire_tree(d);
    char *copy = xmalloc(d->text.bytes.len + 1);
    memcpy(copy, d->text.bytes.data, d->text.bytes.len);
    copy[d->text.bytes.len] = '\0';
    d->file = ssmc_sources_add(&d->sources, d->path ? d->path : d->uri, copy, d->text.bytes.len);
    ssmc_load_options options;
    lsp_doc_load_options(d, &options);
    ssmc_diags scratch = {.sources = &d->sources};
    d->tree = ssmc_load(&d->sources, d->file, &options, diags ? diags : &scratch);
    ssmc_diags_free(&scratch);
    d->tree_current = true;
}

/* Rules named in the settings, as --enable and --disable do. */
static void apply_rule_settings(lsp_server *s, ssmc_config *config)
{
    ssmc_rule rule;
    for (size_t i = 0; i < s->settings.enable_count; i++)
        if (ssmc_rule_lookup(s->settings.enable[i], &rule) && rule < SSMC_RULE_COUNT_BUILTIN) {
            ssmc_severity def = ssmc_rule_get(rule)->severity;
            config->severity[rule] = def == SSMC_SEV_OFF ? SSMC_SEV_WARNING : def;
        }
    for (size_t i = 0; i < s->settings.disable_count; i++)
        if (ssmc_rule_lookup(s->settings.disable[i], &rule) && rule < SSMC_RULE_COUNT_BUILTIN)
            config->severity[rule] = SSMC_SEV_OFF;
}

void lsp_doc_config(lsp_server *s, lsp_doc *d)
{
    if (d->config_loaded)
        return;
    drop_config(d);
    ssmc_config_init(&d->config);
    if (d->path) {
        const char *slash = strrchr(d->path, '/');
        char *dir = slash == d->path ? xstrdup("/") : xstrndup(d->path, (size_t)(slash - d->path));
        d->config_path = config_file_find(dir);
        free(dir);
    }
    size_t len = 0;
    char *data = NULL;
    if (d->config_path) {
        /* As `ssmc check` does (SSM9192): a file another user could have
         * written configures nothing. */
        int fd = open(d->config_path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
        const char *why = fd >= 0 ? config_file_untrusted(fd) : NULL;
        if (fd >= 0)
            close(fd);
        if (why)
            lsp_notify(s, "window/logMessage",
                       json_pack("{s:i,s:s+++}", "type", 2, "message", d->config_path,
                                 ": configuration file ignored: ", why,
                                 " (make it yours and not writable by others: chmod go-w)"));
        else
            data = doc_lookup_read(d->config_path, &len);
    }
    if (data) {
        ssmc_sources sources = {0};
        uint32_t file = ssmc_sources_add(&sources, d->config_path, data, len);
        ssmc_diags diags = {.sources = &d->sources};
        ssmc_document *doc = ssmc_load(&sources, file, NULL, &diags);
        config_file_extra extra = {0};
        config_file_apply(doc, &d->config, &extra, &diags);
        /* A mistake in the configuration file is shown in the client's log;
         * the ambiguity warnings of SSM1019 are about SSM documents. */
        for (size_t i = 0; i < diags.count; i++) {
            const ssmc_diag *g = &diags.items[i];
            if (g->rule == SSMC_RULE_SSM1019 || g->severity == SSMC_SEV_OFF)
                continue;
            lsp_notify(s, "window/logMessage",
                       json_pack("{s:i,s:s++}", "type", 2, "message", d->config_path, ": ",
                                 g->message));
        }
        ssmc_diags_free(&diags);
        ssmc_document_free(doc);
        ssmc_sources_free(&sources);
        /* The file is the one found upward from the document, usually the
         * repository's own: a program it names would run whatever a pull
         * request put there as soon as the author saves. As `ssmc check`
         * does without --trust-config (SSM9193), only off and auto are
         * taken from it; the option or the setting names a program. */
        const char *sc = extra.shellcheck_path;
        if (sc && strcmp(sc, "off") != 0 && strcmp(sc, "auto") != 0) {
            if (!s->settings.shellcheck)
                lsp_notify(s, "window/logMessage",
                           json_pack("{s:i,s:s+++}", "type", 2, "message", d->config_path,
                                     ": shellcheck.path '", sc,
                                     "' is not used (ShellCheck is looked up on PATH instead); "
                                     "set the shellcheck setting or pass --shellcheck PATH to "
                                     "run it"));
            free(extra.shellcheck_path);
            extra.shellcheck_path = NULL;
        }
        d->config_shellcheck = extra.shellcheck_path;
        d->config_shellcheck_options = extra.shellcheck_options;
        extra.shellcheck_path = extra.shellcheck_options = NULL;
        config_file_extra_free(&extra);
    }
    apply_rule_settings(s, &d->config);
    d->config.shellcheck = s->settings.shellcheck ? s->settings.shellcheck
                           : d->config_shellcheck ? d->config_shellcheck
                                                  : "auto";
    d->config.shellcheck_options = d->config_shellcheck_options;
    /* .ssmc.yaml has no pyflakes key: the option or setting, else auto. */
    d->config.pyflakes = s->settings.pyflakes;
    d->config_loaded = true;
}

/* Every document checked again (new settings or configuration file). */
static void recheck_all(lsp_server *s)
{
    int64_t now = lsp_now_ms();
    for (size_t i = 0; i < s->doc_count; i++) {
        drop_config(s->docs[i]);
        s->docs[i]->check_due = now;
    }
}

bool lsp_is_config_path(const char *path)
{
    if (!path)
        return false;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    return strcmp(base, ".ssmc.yaml") == 0 || strcmp(base, ".ssmc.yml") == 0;
}

/* --- notifications ----------------------------------------------------- */

static const char *doc_uri(const json_t *params)
{
    return json_string_value(json_object_get(json_object_get(params, "textDocument"), "uri"));
}

static void did_open(lsp_server *s, const json_t *params)
{
    const json_t *td = json_object_get(params, "textDocument");
    const char *uri = json_string_value(json_object_get(td, "uri"));
    const json_t *text = json_object_get(td, "text");
    if (!uri || !json_is_string(text)) {
        log_error(s, "textDocument/didOpen without a textDocument uri and text");
        return;
    }
    lsp_doc *d = lsp_doc_find(s, uri);
    if (!d) {
        d = xcalloc(1, sizeof *d);
        d->uri = xstrdup(uri);
        d->path = lsp_uri_to_path(uri);
        d->external_fd = -1;
        buf_init(&d->external_out);
        GROW(s->docs, s->doc_cap, s->doc_count + 1);
        s->docs[s->doc_count++] = d;
    }
    free(d->language);
    const char *lang = json_string_value(json_object_get(td, "languageId"));
    d->language = lang ? xstrdup(lang) : NULL;
    d->version = json_integer_value(json_object_get(td, "version"));
    lsp_text_set(&d->text, json_string_value(text), json_string_length(text));
    d->tree_current = false;
    int64_t now = lsp_now_ms();
    d->check_due = now;
    d->external_due = s->settings.external_delay_ms >= 0 ? now + s->settings.external_delay_ms : -1;
}

static void did_change(lsp_server *s, const json_t *params)
{
    const char *uri = doc_uri(params);
    lsp_doc *d = uri ? lsp_doc_find(s, uri) : NULL;
    if (!d) {
        log_error(s, "textDocument/didChange for a document that is not open: %s",
                  uri ? uri : "(no uri)");
        return;
    }
    const json_t *changes = json_object_get(params, "contentChanges");
    if (!json_is_array(changes)) {
        log_error(s, "textDocument/didChange without contentChanges");
        return;
    }
    size_t i;
    json_t *c;
    json_array_foreach(changes, i, c) {
        const json_t *text = json_object_get(c, "text");
        if (!json_is_string(text)) {
            log_error(s, "textDocument/didChange: change %zu has no text", i);
            continue;
        }
        const json_t *range = json_object_get(c, "range");
        if (!range) {
            lsp_text_set(&d->text, json_string_value(text), json_string_length(text));
            continue;
        }
        size_t start, end;
        if (!lsp_text_read_range(&d->text, s->enc, range, &start, &end)) {
            log_error(s, "textDocument/didChange: change %zu has a bad range", i);
            continue;
        }
        lsp_text_replace(&d->text, start, end, json_string_value(text), json_string_length(text));
    }
    const json_t *version = json_object_get(json_object_get(params, "textDocument"), "version");
    if (json_is_integer(version))
        d->version = json_integer_value(version);
    d->tree_current = false;
    int64_t now = lsp_now_ms();
    d->check_due = now + s->settings.debounce_ms;
    d->external_due = s->settings.external_delay_ms >= 0 ? now + s->settings.external_delay_ms : -1;
}

static void did_close(lsp_server *s, const json_t *params)
{
    const char *uri = doc_uri(params);
    for (size_t i = 0; uri && i < s->doc_count; i++) {
        if (strcmp(s->docs[i]->uri, uri) != 0)
            continue;
        lsp_doc_free(s->docs[i]);
        memmove(&s->docs[i], &s->docs[i + 1], (s->doc_count - i - 1) * sizeof *s->docs);
        s->doc_count--;
        lsp_diag_clear(s, uri);
        return;
    }
    log_error(s, "textDocument/didClose for a document that is not open: %s",
              uri ? uri : "(no uri)");
}

static void did_save(lsp_server *s, const json_t *params)
{
    const char *uri = doc_uri(params);
    lsp_doc *d = uri ? lsp_doc_find(s, uri) : NULL;
    char *path = uri ? lsp_uri_to_path(uri) : NULL;
    bool config = path && lsp_is_config_path(path);
    free(path);
    if (config) {
        recheck_all(s);
        return;
    }
    if (!d) {
        log_error(s, "textDocument/didSave for a document that is not open: %s",
                  uri ? uri : "(no uri)");
        return;
    }
    d->external_due = lsp_now_ms();
}

/* --- requests ---------------------------------------------------------- */

static json_t *capabilities(const lsp_server *s)
{
    static const char *const names[] = {"utf-16", "utf-8", "utf-32"};
    return json_pack(
        "{s:s,s:{s:b,s:i,s:{s:b}},s:b,s:{s:[s,s,s,s,s],s:b},s:b,s:b,s:b,s:b,s:{s:[s,s]}}", "positionEncoding",
        names[s->enc], "textDocumentSync", "openClose", 1, "change", 2, "save", "includeText", 0,
        "hoverProvider", 1, "completionProvider", "triggerCharacters", ":", " ", "{", ".", "-",
        "resolveProvider", 0, "definitionProvider", 1, "referencesProvider", 1,
        "documentSymbolProvider", 1, "foldingRangeProvider", 1, "codeActionProvider",
        "codeActionKinds", "quickfix", LSP_FIX_ALL_KIND);
}

static void initialize(lsp_server *s, json_t *id, const json_t *params)
{
    /* The client lists the encodings it can do; UTF-16 is the default
     * every client supports. Bytes are cheapest for us, then code points. */
    const json_t *encs = json_object_get(
        json_object_get(json_object_get(params, "capabilities"), "general"), "positionEncodings");
    bool utf8 = false, utf32 = false;
    size_t i;
    json_t *e;
    json_array_foreach(encs, i, e) {
        const char *name = json_string_value(e);
        if (name && strcmp(name, "utf-8") == 0)
            utf8 = true;
        else if (name && strcmp(name, "utf-32") == 0)
            utf32 = true;
    }
    s->enc = utf8 ? LSP_ENC_UTF8 : utf32 ? LSP_ENC_UTF32 : LSP_ENC_UTF16;
    apply_settings(s, json_object_get(params, "initializationOptions"));
    s->initialized = true;
    respond(s, id,
            json_pack("{s:o,s:{s:s,s:s}}", "capabilities", capabilities(s), "serverInfo", "name",
                      "ssmc", "version", SSMC_VERSION));
}

typedef json_t *(*position_fn)(lsp_server *s, lsp_doc *d, size_t offset);

/* Requests on a position of an open document. */
static void position_request(lsp_server *s, json_t *id, const json_t *params, position_fn fn)
{
    const char *uri = doc_uri(params);
    lsp_doc *d = uri ? lsp_doc_find(s, uri) : NULL;
    size_t offset;
    if (!d) {
        respond_error(s, id, LSP_INVALID_PARAMS, "the document is not open: %s",
                      uri ? uri : "(no uri)");
        return;
    }
    if (!lsp_text_read_pos(&d->text, s->enc, json_object_get(params, "position"), &offset)) {
        respond_error(s, id, LSP_INVALID_PARAMS, "no valid position");
        return;
    }
    respond(s, id, fn(s, d, offset));
}

static json_t *references_with(lsp_server *s, lsp_doc *d, size_t offset)
{
    return lsp_references(s, d, offset, true);
}

static json_t *references_without(lsp_server *s, lsp_doc *d, size_t offset)
{
    return lsp_references(s, d, offset, false);
}

static void document_request(lsp_server *s, json_t *id, const json_t *params,
                             json_t *(*fn)(lsp_server *, lsp_doc *))
{
    const char *uri = doc_uri(params);
    lsp_doc *d = uri ? lsp_doc_find(s, uri) : NULL;
    if (!d) {
        respond_error(s, id, LSP_INVALID_PARAMS, "the document is not open: %s",
                      uri ? uri : "(no uri)");
        return;
    }
    respond(s, id, fn(s, d));
}

/* Does context.only ask for actions of `kind`? An entry names the kind
 * or a parent of it ("source" and "source.fixAll" cover
 * "source.fixAll.ssmc"); "" asks for every kind. */
static bool kind_wanted(const json_t *only, const char *kind)
{
    size_t i;
    json_t *k;
    json_array_foreach(only, i, k) {
        const char *want = json_string_value(k);
        size_t n = want ? strlen(want) : 0;
        if (want && (!n || (strncmp(kind, want, n) == 0 && (!kind[n] || kind[n] == '.'))))
            return true;
    }
    return false;
}

static void code_action(lsp_server *s, json_t *id, const json_t *params)
{
    const char *uri = doc_uri(params);
    lsp_doc *d = uri ? lsp_doc_find(s, uri) : NULL;
    size_t start, end;
    if (!d) {
        respond_error(s, id, LSP_INVALID_PARAMS, "the document is not open: %s",
                      uri ? uri : "(no uri)");
        return;
    }
    if (!lsp_text_read_range(&d->text, s->enc, json_object_get(params, "range"), &start, &end)) {
        respond_error(s, id, LSP_INVALID_PARAMS, "no valid range");
        return;
    }
    /* context.only: the kinds the client wants. Without it, the fix-all
     * action comes after the quickfixes when there are some (as ESLint's
     * "fix all" does); with it, when the client asks for source actions
     * (on save: editor.codeActionsOnSave, or Neovim's
     * vim.lsp.buf.code_action{context = {only = {"source.fixAll"}}}). */
    const json_t *only = json_object_get(json_object_get(params, "context"), "only");
    bool any = !json_is_array(only);
    bool quickfix = any || kind_wanted(only, "quickfix");
    bool fix_all = kind_wanted(only, LSP_FIX_ALL_KIND);
    json_t *actions = quickfix ? lsp_code_actions(s, d, start, end) : json_array();
    if (fix_all || (any && json_array_size(actions))) {
        json_t *all = lsp_fix_all(s, d);
        if (all)
            json_array_append_new(actions, all);
    }
    respond(s, id, actions);
}

static void handle_request(lsp_server *s, const char *method, json_t *id, const json_t *params)
{
    if (strcmp(method, "initialize") == 0) {
        if (s->initialized)
            respond_error(s, id, LSP_INVALID_REQUEST, "the server is already initialized");
        else
            initialize(s, id, params);
        return;
    }
    if (!s->initialized) {
        respond_error(s, id, LSP_SERVER_NOT_INITIALIZED,
                      "the server is not initialized: send initialize first");
        return;
    }
    if (s->shutdown) {
        respond_error(s, id, LSP_INVALID_REQUEST, "the server is shut down: only exit is accepted");
        return;
    }
    if (strcmp(method, "shutdown") == 0) {
        s->shutdown = true;
        respond(s, id, json_null());
    } else if (strcmp(method, "textDocument/hover") == 0) {
        position_request(s, id, params, lsp_hover);
    } else if (strcmp(method, "textDocument/completion") == 0) {
        position_request(s, id, params, lsp_completion);
    } else if (strcmp(method, "textDocument/definition") == 0) {
        position_request(s, id, params, lsp_definition);
    } else if (strcmp(method, "textDocument/references") == 0) {
        bool include = json_is_true(
            json_object_get(json_object_get(params, "context"), "includeDeclaration"));
        position_request(s, id, params, include ? references_with : references_without);
    } else if (strcmp(method, "textDocument/documentSymbol") == 0) {
        document_request(s, id, params, lsp_document_symbols);
    } else if (strcmp(method, "textDocument/codeAction") == 0) {
        code_action(s, id, params);
    } else if (strcmp(method, "textDocument/foldingRange") == 0) {
        document_request(s, id, params, lsp_folding_ranges);
    } else {
        respond_error(s, id, LSP_METHOD_NOT_FOUND, "method not supported: %s", method);
    }
}

static void handle_notification(lsp_server *s, const char *method, const json_t *params)
{
    if (!s->initialized)
        return; /* LSP: notifications before initialize are dropped */
    if (strcmp(method, "initialized") == 0 || strncmp(method, "$/", 2) == 0)
        return;
    if (s->shutdown) {
        log_error(s, "%s after shutdown: only exit is accepted", method);
        return;
    }
    if (strcmp(method, "textDocument/didOpen") == 0)
        did_open(s, params);
    else if (strcmp(method, "textDocument/didChange") == 0)
        did_change(s, params);
    else if (strcmp(method, "textDocument/didClose") == 0)
        did_close(s, params);
    else if (strcmp(method, "textDocument/didSave") == 0)
        did_save(s, params);
    else if (strcmp(method, "workspace/didChangeConfiguration") == 0) {
        apply_settings(s, json_object_get(params, "settings"));
        recheck_all(s);
    } else if (strcmp(method, "workspace/didChangeWatchedFiles") == 0)
        recheck_all(s);
    else
        log_error(s, "notification not supported: %s", method);
}

/* Returns true when the message was `exit`. */
static bool handle_message(lsp_server *s, const char *body, size_t len)
{
    json_error_t err;
    json_t *msg = json_loadb(body, len, JSON_ALLOW_NUL, &err);
    if (!msg) {
        /* jansson's own wording differs between its versions: the answer
         * says only what and where. */
        respond_error(s, NULL, LSP_PARSE_ERROR, "the message is not valid JSON (line %d, column %d)",
                      err.line, err.column);
        return false;
    }
    if (!json_is_object(msg)) {
        respond_error(s, NULL, LSP_INVALID_REQUEST, "a message must be a JSON object");
        json_decref(msg);
        return false;
    }
    json_t *id = json_object_get(msg, "id");
    json_t *method = json_object_get(msg, "method");
    bool id_ok = !id || json_is_integer(id) || json_is_string(id);
    const char *version = json_string_value(json_object_get(msg, "jsonrpc"));
    if (!id_ok || !version || strcmp(version, "2.0") != 0 || (method && !json_is_string(method))) {
        respond_error(s, id_ok ? id : NULL, LSP_INVALID_REQUEST,
                      "not a JSON-RPC 2.0 request or notification");
        json_decref(msg);
        return false;
    }
    if (!method) {
        /* A response to a request of ours: the server sends none. */
        if (!id || (!json_object_get(msg, "result") && !json_object_get(msg, "error")))
            respond_error(s, id, LSP_INVALID_REQUEST, "a message without a method");
        json_decref(msg);
        return false;
    }
    const char *name = json_string_value(method);
    json_t *params = json_object_get(msg, "params");
    bool is_exit = false;
    if (params && !json_is_object(params) && !json_is_array(params)) {
        if (id)
            respond_error(s, id, LSP_INVALID_PARAMS, "params must be an object or an array");
    } else if (id) {
        handle_request(s, name, id, params);
    } else if (strcmp(name, "exit") == 0) {
        is_exit = true;
    } else {
        handle_notification(s, name, params);
    }
    json_decref(msg);
    return is_exit;
}

/* --- the loop ---------------------------------------------------------- */

static void run_due(lsp_server *s)
{
    int64_t now = lsp_now_ms();
    for (size_t i = 0; i < s->doc_count; i++) {
        lsp_doc *d = s->docs[i];
        if (d->check_due >= 0 && d->check_due <= now) {
            d->check_due = -1;
            lsp_diag_check(s, d);
        }
        /* ShellCheck waits for the fast checks of the same text, and runs
         * once at a time per document. */
        if (d->external_due >= 0 && d->external_due <= now && d->check_due < 0 &&
            d->external_pid == 0) {
            d->external_due = -1;
            lsp_diag_start_external(s, d);
        }
    }
}

static int next_timeout(const lsp_server *s)
{
    int64_t next = -1;
    for (size_t i = 0; i < s->doc_count; i++) {
        const lsp_doc *d = s->docs[i];
        if (d->check_due >= 0 && (next < 0 || d->check_due < next))
            next = d->check_due;
        if (d->external_due >= 0 && d->external_pid == 0 && (next < 0 || d->external_due < next))
            next = d->external_due;
    }
    if (next < 0)
        return -1;
    int64_t wait = next - lsp_now_ms();
    return wait < 0 ? 0 : wait > 60000 ? 60000 : (int)wait;
}

int lsp_serve(int in_fd, int out_fd, const lsp_settings *settings)
{
    lsp_server s;
    memset(&s, 0, sizeof s);
    s.out_fd = out_fd;
    s.settings = *settings;
    if (settings->shellcheck) {
        s.settings.owned_shellcheck = xstrdup(settings->shellcheck);
        s.settings.shellcheck = s.settings.owned_shellcheck;
    }
    if (settings->pyflakes) {
        s.settings.owned_pyflakes = xstrdup(settings->pyflakes);
        s.settings.pyflakes = s.settings.owned_pyflakes;
    }
    s.settings.enable = s.settings.disable = NULL;
    s.settings.enable_count = s.settings.disable_count = 0;
    /* A client that went away must not kill us with SIGPIPE half-way
     * through cleaning up; writes then fail and the loop ends. */
    signal(SIGPIPE, SIG_IGN);

    lsp_reader r;
    lsp_reader_init(&r, in_fd);
    bool exited = false;
    struct pollfd *pfd = NULL;
    size_t pfd_cap = 0;
    while (!exited && !s.write_failed) {
        /* Everything already read is handled before waiting again. */
        char *body, *error;
        size_t len;
        lsp_frame f;
        while (!exited && (f = lsp_reader_next(&r, &body, &len, &error)) != LSP_FRAME_NONE) {
            if (f == LSP_FRAME_ERROR) {
                respond_error(&s, NULL, LSP_PARSE_ERROR, "%s", error);
                free(error);
            } else {
                exited = handle_message(&s, body, len);
                free(body);
            }
            run_due(&s);
        }
        if (exited || r.eof)
            break;
        GROW(pfd, pfd_cap, s.doc_count + 1);
        size_t n = 0;
        pfd[n].fd = in_fd, pfd[n].events = POLLIN, pfd[n].revents = 0, n++;
        for (size_t i = 0; i < s.doc_count; i++)
            if (s.docs[i]->external_pid > 0)
                pfd[n].fd = s.docs[i]->external_fd, pfd[n].events = POLLIN, pfd[n].revents = 0, n++;
        int rc = poll(pfd, n, next_timeout(&s));
        if (rc < 0 && errno != EINTR)
            break;
        if (rc > 0) {
            /* Children first: a document may close while reading input. */
            for (size_t k = 1; k < n; k++) {
                if (!pfd[k].revents)
                    continue;
                for (size_t i = 0; i < s.doc_count; i++)
                    if (s.docs[i]->external_pid > 0 && s.docs[i]->external_fd == pfd[k].fd)
                        lsp_diag_external_ready(&s, s.docs[i]);
            }
            if (pfd[0].revents)
                lsp_reader_fill(&r);
        }
        run_due(&s);
    }
    free(pfd);
    lsp_reader_free(&r);
    int status = exited && s.shutdown ? 0 : 1;
    for (size_t i = 0; i < s.doc_count; i++)
        lsp_doc_free(s.docs[i]);
    free(s.docs);
    free_words(&s.settings.enable, &s.settings.enable_count);
    free_words(&s.settings.disable, &s.settings.disable_count);
    free(s.settings.owned_shellcheck);
    free(s.settings.owned_pyflakes);
    return status;
}
