/* plan.c — execution plans: what the agent on each platform would do with a
 * document and one set of parameter values (DESIGN.md "Execution plan").
 *
 * The plan follows the success path: every step that runs is assumed to
 * exit 0, and what other outcomes would do is stated per step (exit codes,
 * onFailure). Sources: spec §4 (agent runpluginutil
 * getStepExecutionOperation, evaluatePreconditions), §5 (plugins), the
 * agent's runscript plugin (script file, command line) and rundocument
 * plugin (depth limit). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "plan.h"
#include "doc_lookup.h"
#include "emit.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- platforms and plugins -------------------------------------------- */

static const char *const platform_names[] = {"linux", "windows", "macos"};

/* runpluginutil.allPlugins */
static const char *const known_plugins[] = {
    "aws:updateSsmAgent", "aws:applications", "aws:configureDaemon", "aws:configurePackage",
    "aws:psModule", "aws:runPowerShellScript", "aws:runShellScript", "aws:softwareInventory",
    "aws:cloudWatch", "aws:configureDocker", "aws:runDockerAction", "aws:domainJoin",
    "aws:updateAgent", "aws:refreshAssociation", "aws:downloadContent", "aws:runDocument", NULL};

/* Handlers registered per OS (agent framework/processor/executer/plugin;
 * spec §5.1 table). */
static const char *const linux_handlers[] = {
    "aws:runShellScript", "aws:runPowerShellScript", "aws:runDocument", "aws:downloadContent",
    "aws:configurePackage", "aws:softwareInventory", "aws:refreshAssociation",
    "aws:updateSsmAgent", "aws:configureDocker", "aws:runDockerAction", "aws:domainJoin",
    "aws:cloudWatch", NULL};
static const char *const windows_handlers[] = {
    "aws:runPowerShellScript", "aws:runDocument", "aws:downloadContent", "aws:configurePackage",
    "aws:softwareInventory", "aws:refreshAssociation", "aws:updateSsmAgent",
    "aws:configureDocker", "aws:runDockerAction", "aws:domainJoin", "aws:cloudWatch",
    "aws:psModule", "aws:applications", "aws:updateAgent", NULL};
/* runpluginutil_darwin: the macOS "supported" list, which is also its
 * handler list. */
static const char *const macos_plugins[] = {
    "aws:updateSsmAgent", "aws:runPowerShellScript", "aws:runShellScript",
    "aws:softwareInventory", "aws:refreshAssociation", "aws:configurePackage", NULL};

static bool in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

static bool is_script_plugin(const char *action)
{
    return strcmp(action, "aws:runShellScript") == 0 ||
           strcmp(action, "aws:runPowerShellScript") == 0 || strcmp(action, "aws:psModule") == 0;
}

/* Plugins that run a process with a timeout and can request a reboot
 * (spec §4.7, §4.8). */
static bool is_process_plugin(const char *action)
{
    return is_script_plugin(action) || strcmp(action, "aws:runDockerAction") == 0;
}

/* --- the planner ---------------------------------------------------------- */

typedef struct child_doc {
    char *path;
    ssmc_document *doc;
    bool valid;
} child_doc;

typedef struct planner {
    const plan_options *opt;
    ssmc_diags *diags;
    bool report;             /* false while a child's parameters are tried */
    int platform;            /* index into platform_names */
    /* Findings of each platform pass, merged at the end (merge_findings). */
    ssmc_diags platform_diags[3];
    ssm_store store;
    child_doc *children;
    size_t child_count, child_cap;
    const char *stack[8];    /* documents being expanded, for cycle detection */
    size_t stack_depth;
    json_t *versions;        /* [{version, feature}] */
    bool cycle_reported;     /* one cycle finding per plan is enough */
    size_t step_total;       /* steps planned in this platform's pass, children included */
    bool budget_reported;
    sub_budget text;         /* substituted text of this platform's pass (PLAN_MAX_TEXT) */
    bool text_reported;
    char *top_path;          /* realpath of the planned document */
    ssmc_arena *arena;       /* substituted trees */
} planner;

static int compare_versions(const char *a, const char *b)
{
    while (*a || *b) {
        long x = strtol(a, (char **)&a, 10), y = strtol(b, (char **)&b, 10);
        if (x != y)
            return x < y ? -1 : 1;
        if (*a == '.')
            a++;
        if (*b == '.')
            b++;
        if (!*a && !*b)
            break;
    }
    return 0;
}

static void need_version(planner *pl, const char *version, const char *feature)
{
    size_t i;
    json_t *v;
    json_array_foreach(pl->versions, i, v) {
        if (strcmp(json_string_value(json_object_get(v, "feature")), feature) == 0)
            return;
    }
    json_array_append_new(pl->versions,
                          json_pack("{s:s, s:s}", "version", version, "feature", feature));
}

static ssmc_diag *report(planner *pl, ssmc_rule rule, const ssmc_node *at, const char *fmt, ...)
    SSMC_PRINTF(4, 5);
static ssmc_diag *report(planner *pl, ssmc_rule rule, const ssmc_node *at, const char *fmt, ...)
{
    if (!pl->report || !at)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    ssmc_diag *d = ssmc_diag_addv(&pl->platform_diags[pl->platform], rule, at->file, at->span,
                                  fmt, ap);
    va_end(ap);
    return d;
}

/* Where a finding is written, PLATFORMS stands for the platforms it holds
 * on (merge_findings fills it in). */
#define PLATFORMS "\001"

static void platform_list(buf *b, unsigned mask)
{
    int n = 0, total = 0;
    for (int p = 0; p < 3; p++)
        total += (mask >> p) & 1;
    for (int p = 0; p < 3; p++) {
        if (!(mask & (1u << p)))
            continue;
        if (n)
            buf_adds(b, n + 1 == total ? " and " : ", ");
        buf_adds(b, platform_names[p]);
        n++;
    }
}

static bool same_finding(const ssmc_diag *a, const ssmc_diag *b)
{
    return a->rule == b->rule && a->file == b->file && a->span.start.offset == b->span.start.offset &&
           a->span.end.offset == b->span.end.offset && strcmp(a->message, b->message) == 0;
}

/* Each platform pass collects its own findings; a finding that is the same
 * on every planned platform is reported once, one that differs names the
 * platforms it holds on ("on windows: ..."). */
static void merge_findings(planner *pl)
{
    unsigned planned = pl->opt->platforms & PLAN_ALL;
    bool *used[3];
    for (int p = 0; p < 3; p++)
        used[p] = xcalloc(pl->platform_diags[p].count + 1, sizeof **used);
    for (int p = 0; p < 3; p++) {
        for (size_t i = 0; i < pl->platform_diags[p].count; i++) {
            if (used[p][i])
                continue;
            const ssmc_diag *d = &pl->platform_diags[p].items[i];
            unsigned mask = 1u << p;
            for (int q = p + 1; q < 3; q++) {
                for (size_t k = 0; k < pl->platform_diags[q].count; k++) {
                    if (!used[q][k] && same_finding(d, &pl->platform_diags[q].items[k])) {
                        used[q][k] = true;
                        mask |= 1u << q;
                        break;
                    }
                }
            }
            buf msg;
            buf_init(&msg);
            const char *mark = strstr(d->message, PLATFORMS);
            if (mark) {
                buf_add(&msg, d->message, (size_t)(mark - d->message));
                platform_list(&msg, mask);
                buf_adds(&msg, mark + strlen(PLATFORMS));
            } else {
                if (mask != planned) {
                    buf_adds(&msg, "on ");
                    platform_list(&msg, mask);
                    buf_adds(&msg, ": ");
                }
                buf_adds(&msg, d->message);
            }
            ssmc_diag *out = ssmc_diag_add(pl->diags, d->rule, d->file, d->span, "%s", msg.data);
            out->severity = d->severity;
            for (size_t r = 0; r < d->related_count; r++)
                ssmc_diag_add_related(out, d->related[r].file, d->related[r].span, "%s",
                                      d->related[r].message);
            if (d->hint)
                out->hint = xstrdup(d->hint);
            for (size_t f = 0; f < d->fix_count; f++)
                ssmc_diag_add_fix(out, d->fixes[f].file, d->fixes[f].span, d->fixes[f].text);
            buf_free(&msg);
        }
    }
    for (int p = 0; p < 3; p++) {
        free(used[p]);
        ssmc_diags_free(&pl->platform_diags[p]);
    }
}

static const char *str_of(const ssmc_node *n)
{
    return n && n->type == SSMC_NODE_STRING ? n->str : NULL;
}

/* --- preconditions (spec §4.4) --------------------------------------------- */

typedef struct precondition_result {
    bool allowed;
    buf unsatisfied;     /* "'a', 'b'" */
    buf unrecognized;
    bool uses_parameters;
} precondition_result;

static bool has_param_token(const char *s, size_t len, const param_values *pv)
{
    return sub_has_token(s, len, pv->subs, pv->sub_count);
}

static void list_add(buf *b, const char *fmt, ...) SSMC_PRINTF(2, 3);
static void list_add(buf *b, const char *fmt, ...)
{
    if (b->len)
        buf_adds(b, ", ");
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    buf_adds(b, s);
    free(s);
}

static void evaluate_precondition(planner *pl, const ssmc_node *pre, const param_values *pv,
                                  precondition_result *r)
{
    r->allowed = true;
    buf_init(&r->unsatisfied);
    buf_init(&r->unrecognized);
    r->uses_parameters = false;
    if (!pre || pre->type != SSMC_NODE_MAP) {
        list_add(&r->unrecognized, "precondition must be an object");
        return;
    }
    for (size_t i = 0; i < pre->count; i++) {
        const ssmc_node *op = pre->pairs[i].key, *args = pre->pairs[i].value;
        if (strcmp(op->str, "StringEquals") != 0) {
            list_add(&r->unrecognized, "unrecognized operator: \"%s\"", op->str);
            continue;
        }
        if (args->type != SSMC_NODE_SEQ || args->count != 2 ||
            args->items[0]->type != SSMC_NODE_STRING || args->items[1]->type != SSMC_NODE_STRING) {
            list_add(&r->unrecognized, "\"StringEquals\": operator accepts exactly 2 arguments");
            continue;
        }
        const ssmc_node *a = args->items[0], *b = args->items[1];
        if (node_equal(a, b)) {
            list_add(&r->unrecognized, "\"StringEquals\": operator's arguments can't be identical");
            continue;
        }
        if (strstr(a->str, "{{") && strstr(a->str, "ssm") ) {
            list_add(&r->unrecognized, "\"StringEquals\": operator's arguments can't contain "
                                       "SSM parameters");
            continue;
        }
        if (strstr(b->str, "{{") && strstr(b->str, "ssm")) {
            list_add(&r->unrecognized, "\"StringEquals\": operator's arguments can't contain "
                                       "SSM parameters");
            continue;
        }
        const ssmc_node *os = NULL;
        if (strcmp(a->str, "platformType") == 0)
            os = b;
        else if (strcmp(b->str, "platformType") == 0)
            os = a;
        if (os) {
            if (strstr(os->str, "{{")) {
                list_add(&r->unrecognized, "\"StringEquals\": the platform argument may not "
                                           "contain document parameters");
                continue;
            }
            if (!str_eq_nocase(os->str, platform_names[pl->platform])) {
                r->allowed = false;
                list_add(&r->unsatisfied, "StringEquals: [%s, %s]", a->str, b->str);
            }
            continue;
        }
        /* Parameter form (agent >= 3.0.196.0). */
        r->uses_parameters = true;
        if (!has_param_token(a->str, a->len, pv) && !has_param_token(b->str, b->len, pv)) {
            list_add(&r->unrecognized, "\"StringEquals\": at least one of operator's arguments "
                                       "must contain a valid document parameter");
            continue;
        }
        const ssmc_node *sides[2] = {a, b};
        char *text[2];
        size_t len[2];
        bool broken = false;
        for (int k = 0; k < 2; k++) {
            const sub_param *w = sub_whole_token(sides[k]->str, sides[k]->len, pv->subs,
                                                 pv->sub_count);
            if (w && w->value->type != SSMC_NODE_STRING)
                broken = true;
            text[k] = sub_text(sides[k]->str, sides[k]->len, pv->subs, pv->sub_count, &len[k],
                               &pl->text);
        }
        if (broken)
            list_add(&r->unrecognized, "a precondition argument that is exactly one token of a "
                                       "non-String parameter does not parse on the agent");
        else if (len[0] != len[1] || memcmp(text[0], text[1], len[0]) != 0) {
            r->allowed = false;
            list_add(&r->unsatisfied, "StringEquals: [%s, %s]", text[0], text[1]);
        }
        free(text[0]);
        free(text[1]);
    }
}

/* --- script plugins --------------------------------------------------------- */

static const char *orchestration_dir(int platform)
{
    switch (platform) {
    case 1: return "C:\\ProgramData\\Amazon\\SSM\\InstanceData\\<instance-id>\\document\\orchestration\\<command-id>";
    case 2: return "/opt/aws/ssm/data/<instance-id>/document/orchestration/<command-id>";
    default: return "/var/lib/amazon/ssm/<instance-id>/document/orchestration/<command-id>";
    }
}

/* The script the agent writes and the command line that runs it
 * (runscript.go: ShellCommand + ShellArguments + script path; appconfig
 * PowerShellPluginCommandArgs). Returns false with *why when runCommand
 * does not decode as the plugin's type. */
static bool script_of(planner *pl, const char *action, const char *step_name,
                      const ssmc_node *inputs, json_t *step, char **why)
{
    const ssmc_node *rc = inputs ? ssmc_map_get(inputs, "runCommand") : NULL;
    bool module = strcmp(action, "aws:psModule") == 0;
    buf text;
    buf_init(&text);
    if (rc && rc->type == SSMC_NODE_SEQ) {
        /* Flatten for psModule; the script plugins decode []string. */
        for (size_t i = 0; i < rc->count; i++) {
            const ssmc_node *it = rc->items[i];
            if (it->type == SSMC_NODE_SEQ && module) {
                for (size_t k = 0; k < it->count; k++) {
                    if (text.len || i || k)
                        buf_addc(&text, '\n');
                    sub_string_form(&text, it->items[k]);
                }
                continue;
            }
            if (it->type == SSMC_NODE_NULL) {
                /* encoding/json leaves a []string element "" for a JSON null
                 * ("unmarshaling a JSON null into any other Go type has no
                 * effect"): an empty line, not a decode error. */
                if (i)
                    buf_addc(&text, '\n');
                continue;
            }
            if (it->type != SSMC_NODE_STRING) {
                *why = xasprintf("Invalid format in plugin properties: runCommand item %zu is %s; "
                                 "the plugin decodes runCommand as a list of strings",
                                 i + 1, it->type == SSMC_NODE_SEQ ? "a nested list"
                                                                  : ssmc_node_type_phrase(it->type));
                buf_free(&text);
                return false;
            }
            if (i)
                buf_addc(&text, '\n');
            buf_add(&text, it->str, it->len);
        }
    } else if (rc && rc->type == SSMC_NODE_STRING && module) {
        buf_add(&text, rc->str, rc->len);
    } else if (rc && rc->type != SSMC_NODE_NULL) {
        *why = xasprintf("Invalid format in plugin properties: runCommand is %s; the plugin "
                         "decodes it as a list of strings (make it a one-item list)",
                         ssmc_node_type_phrase(rc->type));
        buf_free(&text);
        return false;
    }
    bool shell = strcmp(action, "aws:runShellScript") == 0;
    const char *file = shell ? "_script.sh" : "_script.ps1";
    char sep = pl->platform == 1 ? '\\' : '/';
    char *path = xasprintf("%s%c%s%c%s", orchestration_dir(pl->platform), sep, step_name, sep, file);
    char *cmd;
    if (shell)
        cmd = xasprintf("sh -c %s", path);
    else if (pl->platform == 1)
        cmd = xasprintf("%%SystemRoot%%\\System32\\WindowsPowerShell\\v1.0\\powershell.exe "
                        "-InputFormat None -Noninteractive -NoProfile -ExecutionPolicy "
                        "unrestricted -f %s", path);
    else if (pl->platform == 2)
        cmd = xasprintf("/usr/local/bin/pwsh -f %s", path);
    else
        cmd = xasprintf("/usr/bin/powershell -f %s", path);
    json_t *script = json_object();
    json_object_set_new(script, "language", json_string(shell ? "sh" : "powershell"));
    json_object_set_new(script, "fileName", json_string(file));
    json_object_set_new(script, "path", json_string(path));
    json_object_set_new(script, "byteOrderMark", json_boolean(!shell && pl->platform == 1));
    json_object_set_new(script, "text", json_stringn_nocheck(text.data ? text.data : "", text.len));
    json_object_set_new(script, "commandLine", json_string(cmd));
    if (!shell && pl->platform == 0)
        json_object_set_new(script, "note",
                            json_string("the agent uses /usr/bin/pwsh when /usr/bin/powershell "
                                        "is absent"));
    json_object_set_new(step, "script", script);
    free(path);
    free(cmd);
    buf_free(&text);
    return true;
}

static bool is_absolute_path(const char *p, int platform)
{
    if (platform != 1)
        return p[0] == '/';
    /* filepath.IsAbs on Windows: C:\ or C:/, or a UNC path \\server\share */
    bool drive = ((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z')) && p[1] == ':' &&
                 (p[2] == '\\' || p[2] == '/');
    return drive || (p[0] == '\\' && p[1] == '\\') || (p[0] == '/' && p[1] == '/');
}

/* The script plugins' working directory (spec 5.3, agent runscript): an
 * absolute workingDirectory is used as it is; a relative one is
 * <orchestration>/downloads/<dir> when that directory exists when the step
 * starts (an earlier aws:downloadContent may create it), else the default
 * working directory; empty or missing is the default. The plan cannot know
 * whether the directory will exist, so it states both outcomes. */
static void working_directory_of(planner *pl, const char *step_name, const ssmc_node *inputs,
                                 json_t *step)
{
    const ssmc_node *wd = inputs ? ssmc_map_get(inputs, "workingDirectory") : NULL;
    char sep = pl->platform == 1 ? '\\' : '/';
    char *def = xasprintf("%s%c%s", orchestration_dir(pl->platform), sep, step_name);
    json_t *res = json_object();
    if (!wd || wd->type != SSMC_NODE_STRING || !wd->len) {
        json_object_set_new(step, "workingDirectory", json_null());
        json_object_set_new(res, "kind", json_string("default"));
        json_object_set_new(res, "path", json_string(def));
    } else if (is_absolute_path(wd->str, pl->platform)) {
        json_object_set_new(step, "workingDirectory", json_stringn_nocheck(wd->str, wd->len));
        json_object_set_new(res, "kind", json_string("absolute"));
        json_object_set_new(res, "path", json_stringn_nocheck(wd->str, wd->len));
    } else {
        json_object_set_new(step, "workingDirectory", json_stringn_nocheck(wd->str, wd->len));
        char *in_downloads = xasprintf("%s%cdownloads%c%s", orchestration_dir(pl->platform), sep,
                                       sep, wd->str);
        json_object_set_new(res, "kind", json_string("relative"));
        json_object_set_new(res, "ifExists", json_string(in_downloads));
        json_object_set_new(res, "otherwise", json_string(def));
        json_object_set_new(res, "note", json_string(
            "a relative workingDirectory is looked up under the command's downloads directory "
            "when the step starts; if that directory does not exist then, the agent uses the "
            "default working directory instead (no error)"));
        free(in_downloads);
    }
    json_object_set_new(step, "workingDirectoryResolved", res);
    free(def);
}

/* pluginutil.ValidateExecutionTimeout: a string (integer or float text), an
 * integer or a float; 5..172800, anything else silently 3600. */
static void timeout_of(const ssmc_node *inputs, json_t *step)
{
    const ssmc_node *t = inputs ? ssmc_map_get(inputs, "timeoutSeconds") : NULL;
    long long secs = 3600;
    const char *source = "default";
    if (t) {
        double v = -1;
        bool ok = false;
        if (t->type == SSMC_NODE_INT)
            v = (double)t->val.i, ok = true;
        else if (t->type == SSMC_NODE_FLOAT)
            v = t->val.f, ok = true;
        else if (t->type == SSMC_NODE_STRING && t->len) {
            char *end;
            v = strtod(t->str, &end);
            ok = *end == '\0';
        }
        if (ok && v >= 5 && v <= 172800) {
            secs = (long long)v;
            source = "inputs";
        } else {
            source = "invalid (out of 5..172800 or not a number): the agent uses 3600";
        }
    }
    json_object_set_new(step, "timeoutSeconds", json_integer(secs));
    json_object_set_new(step, "timeoutSource", json_string(source));
}

static json_t *exit_codes(const char *action, int platform)
{
    json_t *a = json_array();
    json_array_append_new(a, json_pack("{s:i, s:s, s:s}", "code", 0, "status", "Success",
                                       "effect", "the next step runs"));
    json_array_append_new(a, json_pack("{s:i, s:s, s:s}", "code", 168, "status", "Success",
                                       "effect", "the remaining steps are skipped (a last step "
                                                 "with finallyStep: true still runs)"));
    json_array_append_new(a, json_pack("{s:i, s:s, s:s}", "code", 169, "status", "Failed",
                                       "effect", "the remaining steps are skipped (a last step "
                                                 "with finallyStep: true still runs)"));
    if (is_process_plugin(action))
        json_array_append_new(a, json_pack("{s:i, s:s, s:s}", "code", platform == 1 ? 3010 : 194,
                                           "status", "SuccessAndReboot", "effect",
                                           "the agent reboots the node, then runs this step again "
                                           "from the start and continues"));
    json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "code", "other", "status", "Failed",
                                       "effect", "the next step runs unless onFailure says "
                                                 "otherwise"));
    return a;
}

/* --- documents -------------------------------------------------------------- */

static json_t *plan_steps(planner *pl, ssmc_document *doc, const param_values *pv, int depth,
                          bool *failed);

static child_doc *load_child(planner *pl, const char *path)
{
    char *real = realpath(path, NULL);
    const char *key = real ? real : path;
    for (size_t i = 0; i < pl->child_count; i++) {
        if (strcmp(pl->children[i].path, key) == 0) {
            free(real);
            return &pl->children[i];
        }
    }
    size_t len;
    char *data = doc_lookup_read(path, &len);
    if (!data) {
        free(real);
        return NULL;
    }
    GROW(pl->children, pl->child_cap, pl->child_count + 1);
    child_doc *c = &pl->children[pl->child_count++];
    c->path = xstrdup(key);
    free(real);
    uint32_t file = ssmc_sources_add(pl->opt->sources, path, data, len);
    ssmc_diags tmp = {.sources = pl->opt->sources};
    c->doc = ssmc_load(pl->opt->sources, file, NULL, &tmp);
    ssmc_config config;
    if (pl->opt->config)
        config = *pl->opt->config;
    else
        ssmc_config_init(&config);
    ssmc_check_documents(pl->opt->sources, &c->doc, 1, &config, &tmp);
    c->valid = c->doc->root && ssmc_diags_count_at_least(&tmp, SSMC_SEV_ERROR) == 0;
    ssmc_diags_free(&tmp);
    return c;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
}

/* Finds the file of an aws:runDocument step. */
static char *find_document(planner *pl, const ssmc_document *parent, const char *type,
                           const char *path)
{
    if (strcmp(type, "LocalPath") == 0) {
        if (path[0] == '/')
            return doc_lookup_file_exists(path) ? xstrdup(path) : NULL;
        const ssmc_source *src = ssmc_sources_get(pl->opt->sources, parent->file);
        char *dir = dir_of(src->name);
        char *p = strcmp(dir, ".") == 0 ? xstrdup(path) : xasprintf("%s/%s", dir, path);
        free(dir);
        if (doc_lookup_file_exists(p))
            return p;
        free(p);
        for (size_t i = 0; i < pl->opt->doc_path_count; i++) {
            p = xasprintf("%s/%s", pl->opt->doc_paths[i], path);
            if (doc_lookup_file_exists(p))
                return p;
            free(p);
        }
        return NULL;
    }
    /* SSMDocument: NAME, NAME:VERSION or an ARN .../document/NAME */
    return doc_lookup_find(path, pl->opt->doc_paths, pl->opt->doc_path_count);
}

/* Spec 11.1: the agent source that implements ENV_VAR could not be read;
 * the documentation reads as "tokens still substitute, the variable is
 * exported in addition". The plan says so, and says it is unverified. */
#define ENV_VAR_NOTE                                                                             \
    "unverified (spec 11.1): {{ }} tokens of this parameter are still substituted as text "    \
    "(as shown in the inputs and scripts), and the value is exported as the environment "      \
    "variable in addition (aws:runShellScript, aws:runPowerShellScript)"

json_t *plan_parameters_json(const param_values *pv)
{
    json_t *a = json_array();
    for (size_t i = 0; i < pv->count; i++) {
        const param_value *p = &pv->items[i];
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(p->name));
        json_object_set_new(o, "type", json_string(p->type));
        json_object_set_new(o, "value", p->value ? node_to_json(p->value) : json_null());
        json_object_set_new(o, "source", json_string(p->from_ssm ? "ssm"
                                                     : p->source == PARAM_GIVEN ? "given"
                                                     : p->source == PARAM_DEFAULT ? "default"
                                                                                  : "missing"));
        if (p->env_var) {
            json_object_set_new(o, "interpolationType", json_string("ENV_VAR"));
            char *var = xasprintf("SSM_%s", p->name);
            json_object_set_new(o, "environmentVariable", json_string(var));
            free(var);
            json_object_set_new(o, "interpolationNote", json_string(ENV_VAR_NOTE));
        }
        json_array_append_new(a, o);
    }
    return a;
}

/* Expands an aws:runDocument step in place. */
static void expand_run_document(planner *pl, ssmc_document *parent, const ssmc_node *inputs,
                                const ssmc_node *step_node, int depth, json_t *step,
                                bool *step_failed, char **fail_message)
{
    const char *type = str_of(ssmc_map_get(inputs, "documentType"));
    const char *path = str_of(ssmc_map_get(inputs, "documentPath"));
    if (!type || (strcmp(type, "SSMDocument") != 0 && strcmp(type, "LocalPath") != 0)) {
        *fail_message = xstrdup(type ? "Document type specified in invalid"
                                     : "Document Type must be specified to either by SSMDocument "
                                       "or LocalPath.");
        return;
    }
    if (!path || !*path) {
        *fail_message = xstrdup("Document Path must be provided");
        return;
    }
    /* aws:runDocument fans out: 20 steps each running a document of 20
     * steps, three levels down, is 160,000 steps from four small files.
     * Past the budget nothing more is expanded and the plan is refused. */
    if (pl->step_total >= PLAN_MAX_STEPS) {
        if (!pl->budget_reported) {
            pl->budget_reported = true;
            report(pl, SSMC_RULE_SSM6101, step_node,
                   "the plan reached %d steps (aws:runDocument expands a child document in "
                   "place for every step that runs it); ssmc stops expanding here and shows no "
                   "plan", PLAN_MAX_STEPS);
        }
        return;
    }
    /* rundocument.go: depth 1 for a first-level aws:runDocument, at most 3. */
    int exec_depth = depth + 1;
    if (exec_depth > 3) {
        *fail_message = xasprintf("Maximum depth for document execution exceeded. Maximum depth "
                                  "permitted - 3 and current depth - %d", exec_depth);
        return;
    }
    json_t *info = json_object();
    json_object_set_new(info, "documentType", json_string(type));
    json_object_set_new(info, "documentPath", json_string(path));
    json_object_set_new(info, "executionDepth", json_integer(exec_depth));
    json_object_set_new(step, "document", info);
    char *file = find_document(pl, parent, type, path);
    if (!file) {
        json_object_set_new(info, "found", json_false());
        report(pl, SSMC_RULE_SSM6030, step_node,
               "aws:runDocument %s '%s' was not found locally (searched %s); the plan does not "
               "expand it (add its directory with --doc-path)",
               type, path, strcmp(type, "LocalPath") == 0 ? "next to the document and on the doc path" : "the doc path");
        return;
    }
    json_object_set_new(info, "found", json_true());
    json_object_set_new(info, "file", json_string(file));
    child_doc *child = load_child(pl, file);
    free(file);
    if (!child || !child->valid) {
        report(pl, SSMC_RULE_SSM6032, step_node,
               "the document run by this step (%s) does not load or has errors; the agent "
               "would fail the step (run 'ssmc check' on it)", path);
        *fail_message = xasprintf("the document %s could not be parsed", path);
        return;
    }
    for (size_t i = 0; i < pl->stack_depth; i++) {
        if (strcmp(pl->stack[i], child->path) == 0) {
            json_object_set_new(info, "cycle", json_true());
            if (!pl->cycle_reported) {
                pl->cycle_reported = true;
                report(pl, SSMC_RULE_SSM6031, step_node,
                       "aws:runDocument runs '%s', which is already running further up; the "
                       "agent has no cycle check and fails at depth 4 (Maximum depth for "
                       "document execution exceeded)", path);
            }
            break;
        }
    }
    /* documentParameters: an object, or a string read the agent's way
     * (rundocument.go prepareDocumentForExecution): JSON into a map; when
     * that gives no parameters, YAML; both unmarshal errors are dropped, so
     * an unreadable string passes no parameters. Null values drop. */
    given_values given = {0};
    ssmc_document *dp_doc = NULL;
    const ssmc_node *dp = ssmc_map_get(inputs, "documentParameters");
    if (dp && dp->type == SSMC_NODE_STRING) {
        const ssmc_node *raw = dp;
        dp = NULL;
        json_t *j = json_loadb(raw->str, raw->len, 0, NULL);
        if (json_is_object(j) && json_object_size(j)) {
            dp = node_from_json(pl->arena, j);
            json_object_set_new(info, "parametersReadAs", json_string("JSON"));
        }
        json_decref(j);
        if (!dp) {
            char *name = xasprintf("<documentParameters of %s>", str_of(ssmc_map_get(step_node, "name"))
                                                                     ? str_of(ssmc_map_get(step_node, "name"))
                                                                     : "aws:runDocument");
            uint32_t f = ssmc_sources_add(pl->opt->sources, name, xstrndup(raw->str, raw->len),
                                          raw->len);
            free(name);
            ssmc_load_options lo;
            ssmc_load_options_init(&lo);
            lo.format = SSMC_FORMAT_YAML;
            ssmc_diags ignored = {.sources = pl->opt->sources};
            dp_doc = ssmc_load(pl->opt->sources, f, &lo, &ignored);
            ssmc_diags_free(&ignored);
            if (dp_doc->root && dp_doc->root->type == SSMC_NODE_MAP && dp_doc->root->count) {
                dp = dp_doc->root;
                json_object_set_new(info, "parametersReadAs", json_string("YAML"));
            }
        }
        if (!dp) {
            json_object_set_new(info, "parametersReadAs", json_string("none"));
            report(pl, SSMC_RULE_SSM6033, raw,
                   "documentParameters is a string that is neither a JSON nor a YAML object; the "
                   "agent drops the unmarshal error and passes no parameters, so the child runs "
                   "with its defaults");
        }
    }
    if (dp && dp->type == SSMC_NODE_MAP) {
        for (size_t i = 0; i < dp->count; i++) {
            if (dp->pairs[i].value->type == SSMC_NODE_NULL)
                continue;
            GROW(given.items, given.cap, given.count + 1);
            given_value *g = &given.items[given.count++];
            memset(g, 0, sizeof *g);
            g->name = xstrdup(dp->pairs[i].key->str);
            g->value = dp->pairs[i].value;
            g->file = step_node->file;
            g->span = step_node->span;
        }
    }
    ssmc_diags tmp = {.sources = pl->opt->sources};
    param_values cpv;
    bool ok = param_values_resolve(&cpv, pl->arena, child->doc, &given, &pl->store, true, &tmp);
    given_values_free(&given);
    if (!ok) {
        const ssmc_diag *first = NULL;
        for (size_t i = 0; i < tmp.count && !first; i++)
            if (tmp.items[i].severity == SSMC_SEV_ERROR)
                first = &tmp.items[i];
        *fail_message = xasprintf("all errors during param validation errors: %s",
                                  first ? first->message : "invalid parameters");
        ssmc_diags_free(&tmp);
        param_values_free(&cpv);
        ssmc_document_free(dp_doc);
        return;
    }
    ssmc_diags_free(&tmp);
    json_object_set_new(info, "parameters", plan_parameters_json(&cpv));
    if (pl->stack_depth < sizeof pl->stack / sizeof pl->stack[0])
        pl->stack[pl->stack_depth++] = child->path;
    bool child_failed = false;
    json_object_set_new(step, "steps", plan_steps(pl, child->doc, &cpv, exec_depth, &child_failed));
    pl->stack_depth--;
    param_values_free(&cpv);
    ssmc_document_free(dp_doc);
    if (child_failed)
        *step_failed = true;
}

/* --- steps -------------------------------------------------------------------- */

typedef struct step_src {
    const char *name;
    const char *action;
    const ssmc_node *node;         /* the step (or plugin) node, for positions */
    const ssmc_node *inputs;       /* as written */
    const ssmc_node *precondition;
    const ssmc_node *settings;     /* schema 1.2: the plugin's settings */
    bool unordered;                /* schema 1.2 plugin */
    const char *plugin_group;
} step_src;

static void parse_schema(const ssmc_document *doc, int *major, int *minor)
{
    const ssmc_node *v = ssmc_map_get(doc->root, "schemaVersion");
    *major = *minor = 0;
    if (v && ssmc_node_is_scalar(v))
        sscanf(v->str, "%d.%d", major, minor);
}

static bool truthy(const ssmc_node *n)
{
    return n && ((n->type == SSMC_NODE_BOOL && n->val.b) ||
                 (n->type == SSMC_NODE_STRING && strcmp(n->str, "true") == 0));
}

static void collect_steps(const ssmc_document *doc, step_src **out, size_t *count)
{
    size_t cap = 0;
    *out = NULL;
    *count = 0;
    const ssmc_node *main_steps = ssmc_map_get(doc->root, "mainSteps");
    const ssmc_node *rc = ssmc_map_get(doc->root, "runtimeConfig");
    int major, minor;
    parse_schema(doc, &major, &minor);
    if (major < 2 && rc && rc->type == SSMC_NODE_MAP) {
        for (size_t i = 0; i < rc->count; i++) {
            const ssmc_node *plugin = rc->pairs[i].value;
            const ssmc_node *props = ssmc_map_get(plugin, "properties");
            const ssmc_node *single[1] = {props};
            const ssmc_node *const *items = single;
            size_t n = props ? 1 : 0;
            if (props && props->type == SSMC_NODE_SEQ)
                items = (const ssmc_node *const *)props->items, n = props->count;
            for (size_t k = 0; k < n; k++) {
                GROW(*out, cap, *count + 1);
                step_src *s = &(*out)[(*count)++];
                memset(s, 0, sizeof *s);
                const char *id = str_of(ssmc_map_get(items[k], "id"));
                s->name = id && *id ? id : rc->pairs[i].key->str;
                s->action = rc->pairs[i].key->str;
                s->node = items[k];
                s->inputs = items[k];
                s->unordered = true;
                s->plugin_group = rc->pairs[i].key->str;
                s->settings = ssmc_map_get(plugin, "settings");
            }
        }
        return;
    }
    if (!main_steps || main_steps->type != SSMC_NODE_SEQ)
        return;
    for (size_t i = 0; i < main_steps->count; i++) {
        const ssmc_node *st = main_steps->items[i];
        GROW(*out, cap, *count + 1);
        step_src *s = &(*out)[(*count)++];
        memset(s, 0, sizeof *s);
        const char *name = str_of(ssmc_map_get(st, "name"));
        const char *action = str_of(ssmc_map_get(st, "action"));
        s->name = name ? name : "";
        s->action = action ? action : "";
        s->node = st;
        s->inputs = ssmc_map_get(st, "inputs");
        s->precondition = ssmc_map_get(st, "precondition");
    }
}

static json_t *plan_steps(planner *pl, ssmc_document *doc, const param_values *pv, int depth,
                          bool *doc_failed)
{
    int major, minor;
    parse_schema(doc, &major, &minor);
    bool ge22 = major > 2 || (major == 2 && minor >= 2);
    step_src *steps;
    size_t count;
    collect_steps(doc, &steps, &count);
    json_t *out = json_array();
    bool prior_exit = false;

    for (size_t i = 0; i < count; i++) {
        step_src *s = &steps[i];
        pl->step_total++;
        json_t *j = json_object();
        json_object_set_new(j, "index", json_integer((json_int_t)i));
        json_object_set_new(j, "name", json_string(s->name));
        json_object_set_new(j, "action", json_string(s->action));
        if (s->unordered) {
            json_object_set_new(j, "unordered", json_true());
            json_object_set_new(j, "plugin", json_string(s->plugin_group));
        }
        /* Substitution: {{ name }} first, then {{ssm:...}} (spec §3.2). */
        ssmc_node *inputs = sub_tree(pl->arena, s->inputs, pv->subs, pv->sub_count, &pl->text);
        if (inputs)
            inputs = ssm_resolve_tree(pl->arena, inputs, &pl->store);
        if (pl->text.spent && !pl->text_reported) {
            pl->text_reported = true;
            report(pl, SSMC_RULE_SSM6102, s->node, PLAN_TOO_MUCH_TEXT_MESSAGE,
                   PLAN_MAX_TEXT >> 20);
        }
        json_object_set_new(j, "inputs", inputs ? node_to_json(inputs) : json_object());
        /* 1.2 plugin settings are substituted like properties (agent
         * docparser parsePluginStateForV10Schema; spec 3.1). */
        if (s->settings) {
            ssmc_node *settings =
                sub_tree(pl->arena, s->settings, pv->subs, pv->sub_count, &pl->text);
            if (settings)
                settings = ssm_resolve_tree(pl->arena, settings, &pl->store);
            json_object_set_new(j, "settings", settings ? node_to_json(settings) : json_null());
        }

        const ssmc_node *on_failure = inputs ? ssmc_map_get(inputs, "onFailure") : NULL;
        const ssmc_node *on_success = inputs ? ssmc_map_get(inputs, "onSuccess") : NULL;
        bool finally = truthy(inputs ? ssmc_map_get(inputs, "finallyStep") : NULL);
        bool last = i + 1 == count;
        if (on_failure || on_success || (inputs && ssmc_map_get(inputs, "finallyStep")))
            need_version(pl, "3.0.502.0", "onFailure/onSuccess/finallyStep inputs");

        bool known = in_list(s->action, known_plugins);
        bool supported = pl->platform != 2 || in_list(s->action, macos_plugins);
        bool handler = pl->platform == 0   ? in_list(s->action, linux_handlers)
                       : pl->platform == 1 ? in_list(s->action, windows_handlers)
                                           : in_list(s->action, macos_plugins);
        const char *decision = "run";
        char *message = NULL;
        if (prior_exit && !pl->opt->runtime_flow && !(finally && last)) {
            decision = "skipped";
            message = xasprintf("Plugin with name %s and id %s skipped due to prior step with an "
                                "exit condition", s->action, s->name);
        } else if (!ge22) {
            if (!known)
                decision = "failed",
                message = xasprintf("Plugin with name %s is not supported by this version of ssm "
                                    "agent, please update to latest version. Step name: %s",
                                    s->action, s->name);
            else if (!supported)
                decision = "failed",
                message = xasprintf("Plugin with name %s is not supported in current platform. "
                                    "Step name: %s", s->action, s->name);
            else if (s->precondition)
                decision = "failed",
                message = xasprintf("Precondition is not supported for document schema version "
                                    "prior to 2.2. Step name: %s", s->name);
            else if (!handler)
                decision = "failed",
                message = xasprintf("Plugin with name %s not found. Step name: %s", s->action,
                                    s->name);
        } else if (!s->precondition) {
            if (!known)
                decision = "failed",
                message = xasprintf("Plugin with name %s is not supported by this version of ssm "
                                    "agent, please update to latest version. Step name: %s",
                                    s->action, s->name);
            else if (!(supported && handler))
                decision = "skipped",
                message = xasprintf("Step execution skipped due to unsupported plugin: %s. Step "
                                    "name: %s", s->action, s->name);
        } else {
            precondition_result pr;
            evaluate_precondition(pl, s->precondition, pv, &pr);
            if (pr.uses_parameters)
                need_version(pl, "3.0.196.0", "preconditions on document parameters");
            json_t *pj = json_object();
            json_object_set_new(pj, "written", node_to_json(s->precondition));
            json_object_set_new(pj, "satisfied", json_boolean(pr.allowed));
            if (pr.unrecognized.len)
                json_object_set_new(pj, "unrecognized", json_string(pr.unrecognized.data));
            json_object_set_new(j, "precondition", pj);
            if (pr.allowed && !known)
                decision = "failed",
                message = xasprintf("Plugin with name %s is not supported by this version of ssm "
                                    "agent, please update to latest version. Step name: %s",
                                    s->action, s->name);
            else if (!supported || !handler)
                decision = "skipped",
                message = xasprintf("Step execution skipped due to unsupported plugin: %s. Step "
                                    "name: %s", s->action, s->name);
            else if (!pr.allowed)
                decision = "skipped",
                message = xasprintf("Step execution skipped due to unsatisfied preconditions: "
                                    "'%s'. Step name: %s", pr.unsatisfied.data, s->name);
            else if (pr.unrecognized.len)
                decision = "failed",
                message = xasprintf("Unrecognized precondition(s): '%s', please update agent to "
                                    "latest version. Step name: %s", pr.unrecognized.data, s->name);
            buf_free(&pr.unsatisfied);
            buf_free(&pr.unrecognized);
        }

        bool failed_in_run = false;
        if (strcmp(decision, "run") == 0) {
            if (is_script_plugin(s->action)) {
                char *why = NULL;
                if (!script_of(pl, s->action, s->name, inputs, j, &why)) {
                    decision = "failed";
                    message = why;
                }
                working_directory_of(pl, s->name, inputs, j);
                json_t *env = json_object();
                if (strcmp(s->action, "aws:psModule") != 0) {
                    for (size_t k = 0; k < pv->count; k++) {
                        if (!pv->items[k].env_var || !pv->items[k].value)
                            continue;
                        buf v;
                        buf_init(&v);
                        sub_string_form(&v, pv->items[k].value);
                        char *var = xasprintf("SSM_%s", pv->items[k].name);
                        json_object_set_new(env, var, json_stringn_nocheck(v.data ? v.data : "", v.len));
                        free(var);
                        buf_free(&v);
                    }
                    const ssmc_node *e = inputs ? ssmc_map_get(inputs, "environment") : NULL;
                    for (size_t k = 0; e && e->type == SSMC_NODE_MAP && k < e->count; k++) {
                        buf v;
                        buf_init(&v);
                        sub_string_form(&v, e->pairs[k].value);
                        json_object_set_new(env, e->pairs[k].key->str,
                                            json_stringn_nocheck(v.data ? v.data : "", v.len));
                        buf_free(&v);
                    }
                }
                json_object_set_new(j, "environment", env);
            }
            if (is_process_plugin(s->action))
                timeout_of(inputs, j);
            if (strcmp(s->action, "aws:runDocument") == 0 && strcmp(decision, "run") == 0) {
                char *why = NULL;
                expand_run_document(pl, doc, inputs ? inputs : s->node, s->node, depth, j,
                                    &failed_in_run, &why);
                if (why) {
                    decision = "failed";
                    message = why;
                }
            }
            if (strcmp(s->action, "aws:downloadContent") == 0 && inputs) {
                const char *st = str_of(ssmc_map_get(inputs, "sourceType"));
                if (st && (strcmp(st, "HTTP") == 0 || strcmp(st, "Git") == 0))
                    need_version(pl, "3.0.196.0", "aws:downloadContent sourceType HTTP or Git");
                const ssmc_node *si = ssmc_map_get(inputs, "sourceInfo");
                const char *auth = str_of(ssmc_map_get(si, "authMethod"));
                if (auth && strcmp(auth, "Digest") == 0)
                    need_version(pl, "3.0.1181.0", "aws:downloadContent authMethod Digest");
            }
            if (strcmp(s->action, "aws:softwareInventory") == 0 && inputs &&
                (ssmc_map_get(inputs, "files") || ssmc_map_get(inputs, "windowsRegistry")))
                need_version(pl, "2.2.64.0", "aws:softwareInventory files/windowsRegistry");
        }
        bool run = strcmp(decision, "run") == 0;
        json_object_set_new(j, "run", json_boolean(run));
        json_object_set_new(j, "decision", json_string(decision));
        if (!run)
            json_object_set_new(j, strcmp(decision, "skipped") == 0 ? "skipReason" : "failure",
                                json_string(message ? message : ""));
        if (strcmp(decision, "failed") == 0)
            report(pl, SSMC_RULE_SSM6040, s->node, "on " PLATFORMS " the agent fails step '%s': %s",
                   s->name, message ? message : "");
        const char *status = run ? (failed_in_run ? "Failed" : "Success")
                                 : strcmp(decision, "failed") == 0 ? "Failed" : "Skipped";
        json_object_set_new(j, "expectedStatus", json_string(status));
        free(message);

        /* Control flow (spec §4.6): stated per step. */
        const char *of = str_of(on_failure), *os = str_of(on_success);
        json_object_set_new(j, "onFailure", of ? json_string(of) : json_null());
        json_object_set_new(j, "onSuccess", os ? json_string(os) : json_null());
        json_object_set_new(j, "finallyStep", json_boolean(finally));
        if (finally && !last)
            json_object_set_new(j, "finallyStepIgnored", json_string(
                "finallyStep is honoured only on the last step; the agent ignores it here"));
        bool exits_on_success = os && strcmp(os, "exit") == 0;
        json_object_set_new(j, "isEnd", json_boolean(last || exits_on_success));
        if (of && strcmp(of, "exit") == 0)
            json_object_set_new(j, "onFailureEffect", json_string(
                "if this step fails, the remaining steps are skipped (a last finallyStep still "
                "runs); the document is Failed"));
        else if (of && strcmp(of, "successAndExit") == 0)
            json_object_set_new(j, "onFailureEffect", json_string(
                "if this step fails, its status becomes Success (code 168) and the remaining "
                "steps are skipped (a last finallyStep still runs)"));
        if (exits_on_success)
            json_object_set_new(j, "onSuccessEffect", json_string(
                "if this step succeeds, the remaining steps are skipped (a last finallyStep "
                "still runs)"));
        if (run || strcmp(decision, "failed") == 0)
            json_object_set_new(j, "exitCodes", exit_codes(s->action, pl->platform));

        /* The success path: what this step's outcome does to the next. */
        if (run && !failed_in_run && exits_on_success)
            prior_exit = true;
        if ((!run || failed_in_run) && strcmp(status, "Failed") == 0) {
            if (of && (strcmp(of, "exit") == 0 || strcmp(of, "successAndExit") == 0))
                prior_exit = true;
            if (!(of && strcmp(of, "successAndExit") == 0))
                *doc_failed = true;
        }
        json_array_append_new(out, j);
    }
    free(steps);
    return out;
}

/* --- the plan ----------------------------------------------------------------- */

json_t *plan_header(const ssmc_source *src, const ssmc_document *doc, const char *kind)
{
    char hex[65];
    sha256_hex(src->data, src->len, hex);
    json_t *plan = json_object();
    json_object_set_new(plan, "planVersion", json_integer(1));
    if (kind)
        json_object_set_new(plan, "kind", json_string(kind));
    const ssmc_node *sv = ssmc_map_get(doc->root, "schemaVersion");
    json_object_set_new(plan, "source",
                        json_pack("{s:s, s:s, s:o}", "file", src->name, "sha256", hex,
                                  "schemaVersion",
                                  sv && ssmc_node_is_scalar(sv) ? json_string(sv->str)
                                                                : json_null()));
    return plan;
}

static json_t *plan_one(planner *pl, ssmc_document *doc, const param_values *pv)
{
    json_t *plan = plan_header(ssmc_sources_get(pl->opt->sources, doc->file), doc, NULL);
    json_object_set_new(plan, "platform", json_string(platform_names[pl->platform]));
    pl->versions = json_array();
    for (size_t i = 0; i < pv->count; i++)
        if (pv->items[i].env_var)
            need_version(pl, "3.3.2746.0", "interpolationType: ENV_VAR");
    bool failed = false;
    json_t *steps = plan_steps(pl, doc, pv, 0, &failed);
    int major, minor;
    parse_schema(doc, &major, &minor);
    json_object_set_new(plan, "ordered", json_boolean(major >= 2));
    const char *min = NULL;
    size_t i;
    json_t *v;
    json_array_foreach(pl->versions, i, v) {
        const char *ver = json_string_value(json_object_get(v, "version"));
        if (!min || compare_versions(ver, min) > 0)
            min = ver;
    }
    json_object_set_new(plan, "minimumAgentVersion", min ? json_string(min) : json_null());
    json_object_set_new(plan, "agentVersionReasons", pl->versions);
    json_object_set_new(plan, "parameters", plan_parameters_json(pv));
    json_t *ssm = json_array();
    for (size_t k = 0; k < pl->store.seen_count; k++)
        json_array_append_new(ssm, json_pack("{s:s, s:b}", "name", pl->store.seen[k], "resolved",
                                             pl->store.resolved[k]));
    json_object_set_new(plan, "ssmParameters", ssm);
    json_object_set_new(plan, "steps", steps);
    json_object_set_new(plan, "expectedStatus", json_string(failed ? "Failed" : "Success"));
    return plan;
}

static bool is_runbook(const ssmc_document *doc, const plan_options *options)
{
    const char *type = options->config ? options->config->document_type : NULL;
    if (type)
        return str_eq_nocase(type, "Automation");
    const ssmc_node *sv = ssmc_map_get(doc->root, "schemaVersion");
    return sv && sv->type == SSMC_NODE_STRING && strcmp(sv->str, "0.3") == 0;
}

json_t *plan_build(ssmc_document *doc, const plan_options *options, ssmc_diags *diags)
{
    if (!diags->sources)
        diags->sources = options->sources;
    if (is_runbook(doc, options))
        return automation_plan(doc, options, diags);
    planner pl;
    memset(&pl, 0, sizeof pl);
    for (int p = 0; p < 3; p++)
        pl.platform_diags[p].sources = options->sources;
    pl.opt = options;
    pl.diags = diags;
    pl.report = true;
    pl.arena = arena_new();
    pl.store.values = options->ssm_values;
    pl.store.given = options->ssm_values != NULL;

    param_values pv;
    bool ok = param_values_resolve(&pv, pl.arena, doc, options->given, &pl.store, false, diags);
    json_t *result = NULL;
    if (ok) {
        json_t *plans = json_array();
        const ssmc_source *src = ssmc_sources_get(options->sources, doc->file);
        pl.top_path = realpath(src->name, NULL);
        for (int p = 0; p < 3; p++) {
            if (!(options->platforms & (1u << p)))
                continue;
            pl.platform = p;
            pl.stack[0] = pl.top_path ? pl.top_path : src->name;
            pl.stack_depth = 1;
            pl.cycle_reported = false;
            pl.step_total = 0;
            pl.budget_reported = false;
            pl.text = (sub_budget){PLAN_MAX_TEXT, false};
            pl.text_reported = false;
            pl.store.budget = &pl.text;
            json_array_append_new(plans, plan_one(&pl, doc, &pv));
        }
        merge_findings(&pl);
        if (pl.store.error) {
            ssmc_diag_add(diags, SSMC_RULE_SSM6021, doc->file, loc_of_node(doc->root),
                          "the agent fails the whole document: %s", pl.store.error);
        } else {
            for (size_t k = 0; k < pl.store.seen_count; k++)
                if (!pl.store.resolved[k])
                    ssmc_diag_add(diags, SSMC_RULE_SSM6020, doc->file, loc_of_node(doc->root),
                                  "{{ssm:%s}} is kept symbolic (give its value with --ssm-params "
                                  "FILE)", pl.store.seen[k]);
        }
        if (json_array_size(plans) == 1) {
            result = json_incref(json_array_get(plans, 0));
            json_decref(plans);
        } else {
            result = json_object();
            json_object_set_new(result, "planVersion", json_integer(1));
            json_object_set_new(result, "plans", plans);
        }
    }
    param_values_free(&pv);
    for (size_t i = 0; i < pl.child_count; i++) {
        free(pl.children[i].path);
        ssmc_document_free(pl.children[i].doc);
    }
    free(pl.children);
    free(pl.top_path);
    ssm_store_free(&pl.store);
    arena_free(pl.arena);
    return result;
}

void plan_render_json(const json_t *plan, buf *out)
{
    char *s = json_dumps(plan, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    buf_adds(out, s ? s : "null");
    buf_addc(out, '\n');
    free(s);
}

/* --- views: text for people, dot for Graphviz ------------------------------ */

const char *plan_jstr(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static void text_steps(const json_t *steps, buf *out, int indent)
{
    size_t i;
    json_t *st;
    json_array_foreach(steps, i, st) {
        const char *decision = plan_jstr(st, "decision");
        buf_printf(out, "%*s%zu. %s (%s): %s%s\n", indent, "", i + 1, plan_jstr(st, "name"),
                   plan_jstr(st, "action"),
                   strcmp(decision, "run") == 0 ? "RUN" : strcmp(decision, "skipped") == 0 ? "SKIPPED" : "FAILS",
                   json_is_true(json_object_get(st, "unordered")) ? " [unordered: 1.2 plugin]" : "");
        int in = indent + 3;
        json_t *settings = json_object_get(st, "settings");
        if (settings) {
            char *js = json_dumps(settings, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
            buf_printf(out, "%*ssettings: %s\n", in, "", js ? js : "null");
            free(js);
        }
        if (json_object_get(st, "skipReason"))
            buf_printf(out, "%*s%s\n", in, "", plan_jstr(st, "skipReason"));
        if (json_object_get(st, "failure"))
            buf_printf(out, "%*sagent: %s\n", in, "", plan_jstr(st, "failure"));
        json_t *pre = json_object_get(st, "precondition");
        if (pre)
            buf_printf(out, "%*sprecondition: %s\n", in, "",
                       json_is_true(json_object_get(pre, "satisfied")) ? "satisfied" : "not satisfied");
        json_t *t = json_object_get(st, "timeoutSeconds");
        if (t)
            buf_printf(out, "%*stimeout: %llds (%s)\n", in, "", (long long)json_integer_value(t),
                       plan_jstr(st, "timeoutSource"));
        json_t *wdr = json_object_get(st, "workingDirectoryResolved");
        if (wdr) {
            const char *kind = plan_jstr(wdr, "kind");
            if (strcmp(kind, "relative") == 0)
                buf_printf(out, "%*sworking directory: %s if that directory exists when the step "
                                "starts, otherwise %s (relative '%s')\n", in, "",
                           plan_jstr(wdr, "ifExists"), plan_jstr(wdr, "otherwise"),
                           plan_jstr(st, "workingDirectory"));
            else
                buf_printf(out, "%*sworking directory: %s%s\n", in, "", plan_jstr(wdr, "path"),
                           strcmp(kind, "default") == 0 ? " (default)" : "");
        }
        json_t *env = json_object_get(st, "environment");
        const char *k;
        json_t *v;
        json_object_foreach(env, k, v)
            buf_printf(out, "%*senv %s=%s\n", in, "", k, json_string_value(v));
        if (json_object_get(st, "onFailureEffect"))
            buf_printf(out, "%*sonFailure %s: %s\n", in, "", plan_jstr(st, "onFailure"), plan_jstr(st, "onFailureEffect"));
        if (json_object_get(st, "onSuccessEffect"))
            buf_printf(out, "%*sonSuccess %s: %s\n", in, "", plan_jstr(st, "onSuccess"), plan_jstr(st, "onSuccessEffect"));
        if (json_is_true(json_object_get(st, "finallyStep")))
            buf_printf(out, "%*sfinallyStep: %s\n", in, "",
                       json_object_get(st, "finallyStepIgnored") ? "ignored (not the last step)" : "runs even after an exit condition");
        json_t *script = json_object_get(st, "script");
        if (script && json_equal(json_object_get(st, "run"), json_true())) {
            buf_printf(out, "%*scommand: %s\n", in, "", plan_jstr(script, "commandLine"));
            buf_printf(out, "%*sscript (%s%s):\n", in, "", plan_jstr(script, "fileName"),
                       json_is_true(json_object_get(script, "byteOrderMark")) ? ", UTF-8 with BOM" : "");
            const char *text = plan_jstr(script, "text");
            while (*text || text == plan_jstr(script, "text")) {
                const char *nl = strchr(text, '\n');
                size_t n = nl ? (size_t)(nl - text) : strlen(text);
                buf_printf(out, "%*s| %.*s\n", in, "", (int)n, text);
                if (!nl)
                    break;
                text = nl + 1;
            }
        }
        json_t *codes = json_object_get(st, "exitCodes");
        size_t c;
        json_t *code;
        if (codes && json_is_true(json_object_get(st, "run"))) {
            buf_printf(out, "%*sexit codes:", in, "");
            json_array_foreach(codes, c, code) {
                json_t *n = json_object_get(code, "code");
                if (json_is_integer(n))
                    buf_printf(out, " %lld=%s", (long long)json_integer_value(n), plan_jstr(code, "status"));
            }
            buf_addc(out, '\n');
        }
        json_t *docinfo = json_object_get(st, "document");
        if (docinfo) {
            buf_printf(out, "%*sruns %s %s%s\n", in, "", plan_jstr(docinfo, "documentType"),
                       plan_jstr(docinfo, "documentPath"),
                       json_is_false(json_object_get(docinfo, "found")) ? " (not found locally: not expanded)" : "");
            const char *read_as = plan_jstr(docinfo, "parametersReadAs");
            if (strcmp(read_as, "none") == 0)
                buf_printf(out, "%*sdocumentParameters: a string that is neither JSON nor YAML; "
                                "the agent passes no parameters\n", in, "");
            else if (*read_as)
                buf_printf(out, "%*sdocumentParameters: a string, read as %s\n", in, "", read_as);
        }
        json_t *sub = json_object_get(st, "steps");
        if (sub)
            text_steps(sub, out, in);
    }
}

static void text_one(const json_t *plan, buf *out)
{
    json_t *src = json_object_get(plan, "source");
    buf_printf(out, "Plan for %s on %s (schema %s, sha256 %.12s)\n", plan_jstr(src, "file"),
               plan_jstr(plan, "platform"), plan_jstr(src, "schemaVersion"), plan_jstr(src, "sha256"));
    json_t *min = json_object_get(plan, "minimumAgentVersion");
    if (json_is_string(min)) {
        buf_printf(out, "Minimum agent version: %s\n", json_string_value(min));
        size_t i;
        json_t *r;
        json_array_foreach(json_object_get(plan, "agentVersionReasons"), i, r)
            buf_printf(out, "  %s: %s\n", plan_jstr(r, "version"), plan_jstr(r, "feature"));
    }
    json_t *params = json_object_get(plan, "parameters");
    if (json_array_size(params)) {
        buf_adds(out, "Parameters:\n");
        size_t i;
        json_t *p;
        json_array_foreach(params, i, p) {
            char *v = json_dumps(json_object_get(p, "value"), JSON_COMPACT | JSON_ENCODE_ANY);
            buf_printf(out, "  %s (%s) = %s [%s]\n", plan_jstr(p, "name"), plan_jstr(p, "type"), v ? v : "null",
                       plan_jstr(p, "source"));
            free(v);
            if (json_object_get(p, "environmentVariable"))
                buf_printf(out, "    ENV_VAR: exported as %s; %s\n", plan_jstr(p, "environmentVariable"),
                           plan_jstr(p, "interpolationNote"));
        }
    }
    if (json_is_false(json_object_get(plan, "ordered")))
        buf_adds(out, "Steps (schema 1.2: the agent runs plugins in no defined order):\n");
    else
        buf_adds(out, "Steps:\n");
    text_steps(json_object_get(plan, "steps"), out, 2);
    buf_printf(out, "Expected status: %s\n", plan_jstr(plan, "expectedStatus"));
}

static bool automation_kind(const json_t *plan)
{
    const char *k = json_string_value(json_object_get(plan, "kind"));
    return k && strcmp(k, "Automation") == 0;
}

void plan_render_text(const json_t *plan, buf *out)
{
    if (automation_kind(plan)) {
        automation_plan_text(plan, out);
        return;
    }
    json_t *plans = json_object_get(plan, "plans");
    if (!plans) {
        text_one(plan, out);
        return;
    }
    size_t i;
    json_t *p;
    json_array_foreach(plans, i, p) {
        if (i)
            buf_addc(out, '\n');
        text_one(p, out);
    }
}

void plan_dot_label(buf *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            buf_addc(out, '\\');
        if (*s == '\n') {
            buf_adds(out, "\\n");
            continue;
        }
        buf_addc(out, *s);
    }
}

/* One node prefix_N per step, and the edges between them. */
static void dot_steps(const json_t *steps, buf *out, const char *prefix, const char *end_node,
                      int depth)
{
    size_t n = json_array_size(steps);
    size_t finally = (size_t)-1;
    if (n && json_is_true(json_object_get(json_array_get(steps, n - 1), "finallyStep")))
        finally = n - 1;
    size_t i;
    json_t *st;
    json_array_foreach(steps, i, st) {
        const char *decision = plan_jstr(st, "decision");
        const char *fill = strcmp(decision, "run") == 0 ? "#d4edda" : strcmp(decision, "skipped") == 0 ? "#eeeeee" : "#f8d7da";
        buf_printf(out, "%*s%s_%zu [label=\"", depth * 2, "", prefix, i);
        plan_dot_label(out, plan_jstr(st, "name"));
        buf_adds(out, "\\n");
        plan_dot_label(out, plan_jstr(st, "action"));
        buf_printf(out, "\\n%s\", style=\"%s\", fillcolor=\"%s\"];\n",
                   strcmp(decision, "run") == 0 ? "runs" : decision,
                   strcmp(decision, "skipped") == 0 ? "filled,dashed" : "filled", fill);
        json_t *sub = json_object_get(st, "steps");
        if (sub && json_array_size(sub)) {
            buf_printf(out, "%*ssubgraph cluster_%s_%zu {\n%*slabel=\"", depth * 2, "", prefix, i, depth * 2 + 2, "");
            plan_dot_label(out, plan_jstr(json_object_get(st, "document"), "documentPath"));
            buf_adds(out, "\"; style=dashed;\n");
            char *sub_prefix = xasprintf("%s_%zu", prefix, i);
            char *sub_end = xasprintf("%s_%zu_end", prefix, i);
            buf_printf(out, "%*s%s [shape=point];\n", depth * 2 + 2, "", sub_end);
            dot_steps(sub, out, sub_prefix, sub_end, depth + 1);
            buf_printf(out, "%*s}\n", depth * 2, "");
            buf_printf(out, "%*s%s_%zu -> %s_0 [style=dotted, label=\"runs\"];\n", depth * 2, "",
                       prefix, i, sub_prefix);
            free(sub_prefix);
            free(sub_end);
        }
    }
    bool unordered = n && json_is_true(json_object_get(json_array_get(steps, 0), "unordered"));
    json_array_foreach(steps, i, st) {
        char next[128];
        if (unordered)
            snprintf(next, sizeof next, "%s", end_node);
        else if (i + 1 < n)
            snprintf(next, sizeof next, "%s_%zu", prefix, i + 1);
        else
            snprintf(next, sizeof next, "%s", end_node);
        buf_printf(out, "%*s%s_%zu -> %s;\n", depth * 2, "", prefix, i, next);
        char exit_target[128];
        if (finally != (size_t)-1 && i < finally)
            snprintf(exit_target, sizeof exit_target, "%s_%zu", prefix, finally);
        else
            snprintf(exit_target, sizeof exit_target, "%s", end_node);
        if (strcmp(plan_jstr(st, "decision"), "skipped") == 0)
            continue;
        if (json_object_get(st, "exitCodes") && (i + 1 < n))
            buf_printf(out, "%*s%s_%zu -> %s [label=\"exit 168/169\", style=dashed, color=gray40];\n",
                       depth * 2, "", prefix, i, exit_target);
        json_t *codes = json_object_get(st, "exitCodes");
        size_t c;
        json_t *code;
        json_array_foreach(codes, c, code) {
            if (strcmp(plan_jstr(code, "status"), "SuccessAndReboot") == 0)
                buf_printf(out, "%*s%s_%zu -> %s_%zu [label=\"%lld: reboot, run again\", style=dashed, color=blue];\n",
                           depth * 2, "", prefix, i, prefix, i,
                           (long long)json_integer_value(json_object_get(code, "code")));
        }
        const char *of = plan_jstr(st, "onFailure");
        if (*of && i + 1 < n)
            buf_printf(out, "%*s%s_%zu -> %s [label=\"failed: onFailure %s\", color=red];\n",
                       depth * 2, "", prefix, i, exit_target, of);
        if (strcmp(plan_jstr(st, "onSuccess"), "exit") == 0 && i + 1 < n)
            buf_printf(out, "%*s%s_%zu -> %s [label=\"success: onSuccess exit\", color=darkgreen];\n",
                       depth * 2, "", prefix, i, exit_target);
    }
}

static void dot_one(const json_t *plan, buf *out, const char *prefix, int depth)
{
    json_t *steps = json_object_get(plan, "steps");
    char *start = xasprintf("%s_start", prefix), *end = xasprintf("%s_end", prefix);
    buf_printf(out, "%*s%s [shape=circle, label=\"start\"];\n", depth * 2, "", start);
    buf_printf(out, "%*s%s [shape=doublecircle, label=\"%s\"];\n", depth * 2, "", end,
               plan_jstr(plan, "expectedStatus"));
    size_t n = json_array_size(steps);
    if (!n) {
        buf_printf(out, "%*s%s -> %s;\n", depth * 2, "", start, end);
    } else if (json_is_true(json_object_get(json_array_get(steps, 0), "unordered"))) {
        for (size_t i = 0; i < n; i++)
            buf_printf(out, "%*s%s -> %s_s_%zu [label=\"any order\"];\n", depth * 2, "", start, prefix, i);
    } else {
        buf_printf(out, "%*s%s -> %s_s_0;\n", depth * 2, "", start, prefix);
    }
    char *sp = xasprintf("%s_s", prefix);
    dot_steps(steps, out, sp, end, depth);
    free(sp);
    free(start);
    free(end);
}

void plan_render_dot(const json_t *plan, buf *out)
{
    if (automation_kind(plan)) {
        automation_plan_dot(plan, out);
        return;
    }
    buf_adds(out, "digraph plan {\n  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\"];\n"
                  "  edge [fontname=\"Helvetica\", fontsize=10];\n");
    json_t *plans = json_object_get(plan, "plans");
    if (!plans) {
        buf_adds(out, "  label=\"");
        plan_dot_label(out, plan_jstr(json_object_get(plan, "source"), "file"));
        buf_printf(out, " on %s\";\n", plan_jstr(plan, "platform"));
        dot_one(plan, out, plan_jstr(plan, "platform"), 1);
    } else {
        size_t i;
        json_t *p;
        json_array_foreach(plans, i, p) {
            buf_printf(out, "  subgraph cluster_%s {\n    label=\"%s\";\n", plan_jstr(p, "platform"),
                       plan_jstr(p, "platform"));
            dot_one(p, out, plan_jstr(p, "platform"), 2);
            buf_adds(out, "  }\n");
        }
    }
    buf_adds(out, "}\n");
}
