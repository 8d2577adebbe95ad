/* run.c — driving the steps of a plan as the agent's RunPlugins does:
 * one step at a time in order, the exit-condition skip before each step,
 * the plugin, the 168/169/onFailure post-processing, the final trims, a
 * stop after SuccessAndReboot (with a state file to resume from, as the
 * agent resumes after the reboot), Ctrl-C as a cancel; then the document
 * status, the ExecutionSummary and the reports.
 *
 * The state file (<orchestration>/run-state.json, kept when a step asks
 * for a reboot) is JSON: {"stateVersion": 1, "document", "runId",
 * "orchestration", "steps": [{"name", "action", "status", "code",
 * "output", "standardOutput", "standardError", "startMs", "endMs"}]};
 * steps without a result have status "". `--resume` reads it, keeps the
 * completed results and re-runs the SuccessAndReboot step from the
 * beginning (the agent resets it to InProgress), then continues. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define STATE_FILE "run-state.json"
/* Written into every orchestration directory ssmc creates, holding the run
 * id: --resume removes a directory only when it carries this marker. */
#define MARKER_FILE ".ssmc-run"

static bool deterministic(void)
{
    /* SSMC_GOLDEN is set by the golden-case harness (tests/golden/run_case.sh) */
    const char *e = getenv("SSMC_RUN_DETERMINISTIC");
    if (!e || !*e)
        e = getenv("SSMC_GOLDEN");
    return e && *e && strcmp(e, "0") != 0;
}

static int64_t wall_ms(void)
{
    if (deterministic())
        return 0;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* times.ToIso8601UTC: 2006-01-02T15:04:05.000Z */
static char *iso8601(int64_t ms)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    char tmp[64];
    strftime(tmp, sizeof tmp, "%Y-%m-%dT%H:%M:%S", &tm);
    return xasprintf("%s.%03dZ", tmp, (int)(ms % 1000));
}

static char *new_run_id(void)
{
    unsigned char b[16] = {0};
    if (!deterministic()) {
        int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            ssize_t n = read(fd, b, sizeof b);
            (void)n;
            close(fd);
        }
        b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
        b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    }
    return xasprintf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
                     b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
                     b[13], b[14], b[15]);
}

/* --- file helpers ------------------------------------------------------ */

static bool write_file(const char *path, const char *data, size_t len, const char *bom)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = (!bom || fputs(bom, f) >= 0) && fwrite(data, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    return ok;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void remove_tree(const char *path);

#include <dirent.h>
static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char *child = xasprintf("%s/%s", path, e->d_name);
            struct stat st;
            if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
                remove_tree(child);
            else
                unlink(child);
            free(child);
        }
        closedir(d);
    }
    rmdir(path);
}

/* A directory name for a step: the agent uses the step name under the
 * orchestration directory; keep it to safe characters. */
static char *safe_name(const char *name, size_t index)
{
    buf b;
    buf_init(&b);
    buf_printf(&b, "%02zu-", index + 1);
    for (const char *p = name; *p && b.len < 100; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.';
        buf_addc(&b, ok ? c : '_');
    }
    return buf_steal(&b);
}

/* --- the run ------------------------------------------------------------- */

typedef struct runner {
    const run_options *opts;
    run_report *report;
    int wake_fd;
    char *pwsh;
    bool pwsh_looked;
} runner;

static void progress_start(runner *rn, const run_step *s, size_t depth)
{
    const run_options *o = rn->opts;
    if (!o->progress || !o->progress_out)
        return;
    fprintf(o->progress_out, "%*s%s%s%s (%s) running...", (int)(depth * 2), "",
            o->color ? "\033[1m" : "", s->name, o->color ? "\033[0m" : "", s->action);
    fflush(o->progress_out);
}

static void progress_end(runner *rn, const run_step *s, const run_result *r, size_t depth)
{
    const run_options *o = rn->opts;
    if (!o->progress || !o->progress_out)
        return;
    const char *color = "";
    if (o->color) {
        switch (r->status) {
        case RUN_SUCCESS:
        case RUN_SUCCESS_AND_REBOOT: color = "\033[32m"; break;
        case RUN_SKIPPED: color = "\033[36m"; break;
        default: color = "\033[31m"; break;
        }
    }
    double secs = (double)(r->end_ms - r->start_ms) / 1000.0;
    fprintf(o->progress_out, "\r\033[K%*s%s (%s): %s%s%s, exit code %d, %.2fs\n", (int)(depth * 2),
            "", s->name, s->action, color, run_status_name(r->status), o->color ? "\033[0m" : "",
            r->code, secs);
    fflush(o->progress_out);
}

static const run_simulation *find_simulation(const run_options *o, const char *action)
{
    for (size_t i = 0; i < o->simulate_count; i++)
        if (strcmp(o->simulate[i].plugin, action) == 0)
            return &o->simulate[i];
    return NULL;
}

/* The final per-plugin trims of RunPlugins, and the reply's code rule
 * (Failed with code 0 is reported as 1). StandardError uses the API's 8000
 * (GetCommandInvocation StandardErrorContent; the agent's legacy read cap). */
static void finish_streams(run_result *r, const run_capture *out, const run_capture *err)
{
    free(r->standard_output);
    free(r->standard_error);
    r->standard_output = run_string_prefix(out->data, out->total, RUN_STDOUT_LIMIT,
                                           "--output truncated--");
    r->standard_error = run_string_prefix(err->data, err->total, RUN_STDERR_LIMIT,
                                          "--output truncated--");
    if (r->status == RUN_FAILED && r->code == 0)
        r->code = 1;
}

/* The script plugins (plugins/runscript): write the script, run it, map
 * the exit code; a failed run appends "failed to run commands: <err>" to
 * stderr (MarkAsFailed) unless TimedOut, Cancelled or SuccessAndReboot. */
static void run_script(runner *rn, const run_step *s, size_t index, const char *dir_prefix,
                       run_result *r, run_capture *out, run_capture *err)
{
    const run_options *o = rn->opts;
    bool ps = s->kind == RUN_KIND_POWERSHELL;
    char *name = safe_name(s->name, index);
    char *dir = xasprintf("%s/%s", dir_prefix, name);
    free(name);
    char *script_path = xasprintf("%s/%s", dir, ps ? "_script.ps1" : "_script.sh");
    char *stdout_path = xasprintf("%s/stdout", dir);
    char *stderr_path = xasprintf("%s/stderr", dir);
    const char *script = s->script ? s->script : "";

    run_capture_add(out, "", 0);
    run_capture_add(err, "", 0);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        r->status = RUN_FAILED;
        r->code = 1;
        char *m = xasprintf("failed to create orchestrationDir directory, %s", dir);
        run_capture_adds(err, m);
        free(m);
        goto done;
    }
    /* PowerShell scripts are written with a UTF-8 BOM (pluginutil.CreateScriptFile) */
    if (!write_file(script_path, script, strlen(script), ps ? "\xEF\xBB\xBF" : NULL)) {
        r->status = RUN_FAILED;
        r->code = 1;
        char *m = xasprintf("failed to create script file. open %s: %s", script_path,
                            strerror(errno));
        run_capture_adds(err, m);
        free(m);
        goto done;
    }
    chmod(script_path, 0700);

    const char *program;
    const char *argv[8];
    if (ps) {
        if (!rn->pwsh_looked) {
            rn->pwsh_looked = true;
            rn->pwsh = xstrdup(o->pwsh ? o->pwsh : "pwsh");
        }
        program = rn->pwsh;
        argv[0] = "pwsh";
        argv[1] = "-NoProfile";
        argv[2] = "-NonInteractive";
        argv[3] = "-File";
        argv[4] = script_path;
        argv[5] = NULL;
    } else {
        program = "sh";
        argv[0] = "sh";
        argv[1] = "-c";
        argv[2] = script_path;
        argv[3] = NULL;
    }
    run_env *env = xcalloc(s->env_count + 1, sizeof *env);
    for (size_t i = 0; i < s->env_count; i++)
        env[i] = s->env[i];
    /* SSM_COMMAND_ID overwrites a user value (agent 3.0.284.0+) */
    env[s->env_count].name = "SSM_COMMAND_ID";
    env[s->env_count].value = rn->report->run_id;
    /* runscript.go: an absolute workingDirectory is used as it is; a
     * relative one means <orchestration>/downloads/<dir> when that exists;
     * otherwise the default working directory, the step's orchestration
     * directory (as `ssmc plan` shows it). */
    char *wd;
    if (s->working_dir && s->working_dir[0] == '/') {
        wd = xstrdup(s->working_dir);
    } else {
        wd = s->working_dir && s->working_dir[0]
                 ? xasprintf("%s/downloads/%s", rn->report->orchestration, s->working_dir)
                 : NULL;
        if (!wd || !is_dir(wd)) {
            free(wd);
            wd = xstrdup(dir);
        }
    }
    double timeout = s->timeout > 0 ? s->timeout : 3600;
    run_exec_request req = {
        .argv0 = program,
        .argv = argv,
        .working_dir = wd,
        .env = env,
        .env_count = s->env_count + 1,
        .timeout = timeout * (o->timeout_scale > 0 ? o->timeout_scale : 1.0),
        .stdout_path = stdout_path,
        .stderr_path = stderr_path,
        .cancel = &run_cancel_flag,
        .wake_fd = rn->wake_fd,
    };
    run_exec_result res;
    run_exec(&req, &res);
    free(env);
    free(wd);
    run_capture_free(out);
    run_capture_free(err);
    *out = res.out;
    *err = res.err;
    memset(&res.out, 0, sizeof res.out);
    memset(&res.err, 0, sizeof res.err);
    r->exit_code = res.started ? res.exit_code : -1;
    if (!res.started) {
        /* ExecuteCommand: a command that does not start gives exit code 1 */
        r->code = 1;
        r->status = RUN_FAILED;
    } else {
        r->code = res.exit_code;
        r->status = run_status_from_exit(res.exit_code, false, res.killed_by);
    }
    if (res.error && r->status != RUN_CANCELLED && r->status != RUN_TIMED_OUT &&
        r->status != RUN_SUCCESS_AND_REBOOT && r->status != RUN_SUCCESS) {
        char *m = xasprintf("failed to run commands: %s", res.error);
        run_capture_adds(err, m);
        free(m);
    }
    run_exec_result_free(&res);
done:
    free(dir);
    free(script_path);
    free(stdout_path);
    free(stderr_path);
}

static bool run_status_is_success(run_status st)
{
    return st == RUN_SUCCESS || st == RUN_SUCCESS_AND_REBOOT || st == RUN_PASSED_AND_REBOOT;
}

static bool exit_condition(const run_step *s, const run_result *r)
{
    /* runpluginutil getShouldPluginSkipBasedOnControlFlow */
    if (r->status == RUN_NONE)
        return false;
    if (r->code == RUN_EXIT_SUCCESS_AND_EXIT || r->code == RUN_EXIT_FAIL_AND_EXIT)
        return true;
    if (r->status == RUN_FAILED && s->on_failure && strcmp(s->on_failure, "exit") == 0)
        return true;
    if (r->status == RUN_SUCCESS && s->on_success && strcmp(s->on_success, "exit") == 0)
        return true;
    return false;
}

static void run_steps(runner *rn, run_step *steps, size_t count, run_result *results,
                      size_t first, const char *dir, size_t depth, bool *reboot_stop);

/* aws:runDocument with its child plan expanded inline. The agent runs the
 * child document with its own executer (plugins/rundocument/execdoc.go
 * ExecuteDocument) and folds the child results into this one step
 * (rundocument.go runDocument): every child's StandardOutput and
 * StandardError are appended, and the step's status is
 * MergeResultStatus(Success, child status). The agent walks the child
 * results in Go map order and resets the status to Success before each
 * merge, so with mixed child statuses the outcome depends on that order;
 * the runner reports the highest-precedence one (the outcome when that
 * child comes last). The child results are kept so the reports can show
 * them; the agent's reply carries only the step itself.
 *
 * A reboot request (exit 194, 3010 on Windows) inside a document run by
 * aws:runDocument is not supported (spec 4.7, AWS docs
 * send-commands-reboot): the child step is reported Failed instead of
 * stopping the run for a reboot. */
static void run_child_document(runner *rn, const run_step *s, size_t index, const char *dir,
                               size_t depth, run_result *r, run_capture *out, run_capture *err)
{
    char *name = safe_name(s->name, index);
    char *sub = xasprintf("%s/%s", dir, name);
    free(name);
    mkdir(sub, 0700);
    run_result *kids = xcalloc(s->child_count ? s->child_count : 1, sizeof *kids);
    if (rn->opts->progress && rn->opts->progress_out)
        fputc('\n', rn->opts->progress_out);
    bool child_reboot = false;
    run_steps(rn, s->children, s->child_count, kids, 0, sub, depth + 1, &child_reboot);
    for (size_t i = 0; i < s->child_count; i++) {
        run_result *k = &kids[i];
        if (k->status != RUN_SUCCESS_AND_REBOOT)
            continue;
        k->status = RUN_FAILED;
        char *m = xasprintf("%s%sStep exited with code %d (a reboot request): a document run by "
                            "aws:runDocument cannot reboot the node; the step is Failed",
                            k->standard_error ? k->standard_error : "",
                            k->standard_error && k->standard_error[0] ? "\n" : "", k->code);
        free(k->standard_error);
        k->standard_error = m;
        char *o = xasprintf("%s%s%s", k->output ? k->output : "",
                            k->output && k->output[0] ? "\n----------ERROR-------\n" : "",
                            "a reboot request is not supported inside aws:runDocument");
        free(k->output);
        k->output = o;
    }
    run_capture_add(out, "", 0);
    run_capture_add(err, "", 0);
    run_status st = RUN_NONE;
    for (size_t i = 0; i < s->child_count; i++) {
        if (kids[i].status == RUN_NONE)
            continue;
        if (kids[i].standard_output && kids[i].standard_output[0]) {
            if (out->total)
                run_capture_adds(out, "\n");
            run_capture_adds(out, kids[i].standard_output);
        }
        if (kids[i].standard_error && kids[i].standard_error[0]) {
            if (err->total)
                run_capture_adds(err, "\n");
            run_capture_adds(err, kids[i].standard_error);
        }
        st = run_merge_status(st == RUN_NONE ? RUN_SUCCESS : st,
                              run_merge_status(RUN_SUCCESS, kids[i].status));
    }
    if (st == RUN_NONE) {
        /* no child result: rundocument.go "No output obtained from executing document" */
        st = RUN_FAILED;
        run_capture_adds(err, "No output obtained from executing document");
    }
    r->status = st;
    r->code = run_status_is_success(st) ? 0 : 1;
    r->children = kids;
    r->child_count = s->child_count;
    free(sub);
}

static void run_one(runner *rn, run_step *steps, size_t count, size_t i, run_result *r,
                    bool skip_for_exit, const char *dir, size_t depth)
{
    run_step *s = &steps[i];
    run_capture out = {0}, err = {0};
    run_result_free(r);
    r->exit_code = -1;
    r->start_ms = wall_ms();
    if (skip_for_exit) {
        r->status = RUN_SKIPPED;
        r->output = xasprintf("Plugin with name %s and id %s skipped due to prior step with an "
                              "exit condition",
                              s->action, s->name);
    } else if (!s->execute) {
        r->status = s->decided == RUN_FAILED ? RUN_FAILED : RUN_SKIPPED;
        r->output = xstrdup(s->decided_message ? s->decided_message : "");
    } else if (run_cancel_flag) {
        /* plugins check the cancel flag before they start */
        r->status = RUN_CANCELLED;
        r->code = 1;
    } else {
        const run_simulation *sim = find_simulation(rn->opts, s->action);
        if (sim) {
            r->status = sim->status;
            r->code = sim->status == RUN_FAILED ? 1 : 0;
            run_capture_add(&out, "", 0);
            run_capture_add(&err, "", 0);
            char *m = xasprintf("%s simulated as %s by --simulate (not executed by the local "
                                "runner)",
                                s->action, run_status_name(sim->status));
            run_capture_adds(sim->status == RUN_FAILED ? &err : &out, m);
            free(m);
        } else if (s->kind == RUN_KIND_SHELL || s->kind == RUN_KIND_POWERSHELL) {
            progress_start(rn, s, depth);
            run_script(rn, s, i, dir, r, &out, &err);
        } else if (s->kind == RUN_KIND_DOCUMENT) {
            progress_start(rn, s, depth);
            run_child_document(rn, s, i, dir, depth, r, &out, &err);
        } else {
            r->status = RUN_SKIPPED;
            r->output = xasprintf("Step %s: %s is not executed by the local runner (ssmc run); "
                                  "use --simulate %s=Success|Failed to pretend.",
                                  s->name, s->action, s->action);
        }
        if (!r->output) {
            /* iohandler String(): Output before the RunPlugins additions;
             * exit code 168 drops stderr from it */
            run_capture none = {0};
            r->output = run_truncate_output(&out, r->code == RUN_EXIT_SUCCESS_AND_EXIT ? &none : &err,
                                            RUN_OUTPUT_LIMIT);
            run_capture_free(&none);
            run_apply_exit_control(s, r, &out, &err);
        }
    }
    if (!out.data)
        run_capture_add(&out, "", 0);
    if (!err.data)
        run_capture_add(&err, "", 0);
    finish_streams(r, &out, &err);
    run_capture_free(&out);
    run_capture_free(&err);
    r->end_ms = wall_ms();
    progress_end(rn, s, r, depth);
    (void)count;
}

static void run_steps(runner *rn, run_step *steps, size_t count, run_result *results,
                      size_t first, const char *dir, size_t depth, bool *reboot_stop)
{
    for (size_t i = first; i < count && !*reboot_stop; i++) {
        bool skip = false;
        for (size_t j = 0; j < i && !skip; j++)
            skip = exit_condition(&steps[j], &results[j]);
        /* a finallyStep runs anyway, but only as the last step */
        if (skip && steps[i].finally_step && i + 1 == count)
            skip = false;
        run_one(rn, steps, count, i, &results[i], skip, dir, depth);
        if (run_cancel_flag)
            rn->report->cancelled = true;
        /* RunPlugins: no further plugin after SuccessAndReboot */
        if (results[i].status == RUN_SUCCESS_AND_REBOOT)
            *reboot_stop = true;
    }
}

/* --- state file ------------------------------------------------------------ */

static json_t *results_json(const run_step *steps, const run_result *results, size_t count)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < count; i++) {
        const run_result *r = &results[i];
        json_array_append_new(
            arr, json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:I, s:I}", "name", steps[i].name,
                           "action", steps[i].action, "status", run_status_name(r->status),
                           "code", r->code, "output", r->output ? r->output : "",
                           "standardOutput", r->standard_output ? r->standard_output : "",
                           "standardError", r->standard_error ? r->standard_error : "",
                           "startMs", (json_int_t)r->start_ms, "endMs", (json_int_t)r->end_ms));
    }
    return arr;
}

static bool save_state(const run_options *o, run_report *rep)
{
    json_t *root = json_pack("{s:i, s:s, s:s, s:s, s:o}", "stateVersion", 1, "document",
                             o->document ? o->document : "", "runId", rep->run_id,
                             "orchestration", rep->orchestration, "steps",
                             results_json(rep->steps, rep->results, rep->step_count));
    char *path = xasprintf("%s/%s", rep->orchestration, STATE_FILE);
    int rc = json_dump_file(root, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (rc != 0) {
        rep->error = xasprintf("cannot write the run state %s: %s", path, strerror(errno));
        free(path);
        return false;
    }
    rep->state_file = path;
    return true;
}

static char *str_or_empty(const json_t *v)
{
    const char *s = json_string_value(v);
    return xstrdup(s ? s : "");
}

static char *base_directory(void)
{
    const char *tmp = getenv("TMPDIR");
    return xstrdup(tmp && *tmp ? tmp : "/tmp");
}

static bool write_marker(const char *dir, const char *run_id)
{
    char *path = xasprintf("%s/%s", dir, MARKER_FILE);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
    free(path);
    if (fd < 0)
        return false;
    size_t n = strlen(run_id);
    bool ok = write(fd, run_id, n) == (ssize_t)n;
    return close(fd) == 0 && ok;
}

/* The state file names the directory that a finished resumed run removes,
 * so it is believed only for a directory ssmc made for that run: directly
 * under the base directory ($TMPDIR or /tmp) once symlinks are resolved,
 * named ssmc-run-*, owned by this user, holding the state file itself and
 * the marker with the state's run id. Returns NULL when it is, else why not. */
static char *foreign_orchestration(const char *orch, const char *state_path, const char *run_id)
{
    char *real = realpath(orch, NULL), *base = base_directory();
    char *real_base = realpath(base, NULL);
    char *state_dir = xstrdup(state_path);
    char *slash = strrchr(state_dir, '/');
    if (slash)
        *slash = '\0';
    char *real_state_dir = realpath(slash ? state_dir : ".", NULL);
    char *why = NULL;
    const char *leaf = real ? strrchr(real, '/') : NULL;
    struct stat st;
    if (!real || !real_base || !leaf) {
        why = xasprintf("'%s' does not exist", orch);
    } else if (strncmp(real, real_base, strlen(real_base)) != 0 ||
               real + strlen(real_base) != leaf || strncmp(leaf, "/ssmc-run-", 10) != 0) {
        why = xasprintf("'%s' is not a directory ssmc creates (%s/ssmc-run-*)", orch, real_base);
    } else if (!real_state_dir || strcmp(real, real_state_dir) != 0) {
        why = xasprintf("'%s' is not the directory that holds the state file", orch);
    } else if (lstat(real, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid()) {
        why = xasprintf("'%s' is not a directory of yours", orch);
    } else {
        char *marker = xasprintf("%s/%s", real, MARKER_FILE);
        char text[128] = "";
        int fd = open(marker, O_RDONLY | O_NOFOLLOW);
        ssize_t n = fd >= 0 ? read(fd, text, sizeof text - 1) : -1;
        if (fd >= 0)
            close(fd);
        text[n > 0 ? n : 0] = '\0';
        if (n <= 0 || strcmp(text, run_id) != 0)
            why = xasprintf("'%s' has no %s marker of run %s", orch, MARKER_FILE, run_id);
        free(marker);
    }
    free(real);
    free(base);
    free(real_base);
    free(state_dir);
    free(real_state_dir);
    return why;
}

/* Reads a state file into rep; returns the index of the step to re-run.
 * Nothing is removed on any failure here. */
static bool load_state(const char *where, run_report *rep, size_t *restart)
{
    char *path = is_dir(where) ? xasprintf("%s/%s", where, STATE_FILE) : xstrdup(where);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root) {
        rep->error = xasprintf("cannot read the run state %s: %s", path, jerr.text);
        free(path);
        return false;
    }
    bool ok = false;
    json_t *steps = json_object_get(root, "steps");
    const char *run_id = json_string_value(json_object_get(root, "runId"));
    const char *orch = json_string_value(json_object_get(root, "orchestration"));
    if (json_integer_value(json_object_get(root, "stateVersion")) != 1 || !json_is_array(steps) ||
        !run_id || !orch) {
        rep->error = xasprintf("%s: not an ssmc run state file", path);
        rep->usage = true;
        goto out;
    }
    char *why = foreign_orchestration(orch, path, run_id);
    if (why) {
        rep->error = xasprintf("%s: refused: its orchestration directory %s", path, why);
        rep->usage = true;
        free(why);
        goto out;
    }
    if (json_array_size(steps) != rep->step_count) {
        rep->error = xasprintf("%s: the state has %zu steps, the document %zu: not the same "
                               "document or parameters",
                               path, json_array_size(steps), rep->step_count);
        goto out;
    }
    *restart = rep->step_count;
    for (size_t i = 0; i < rep->step_count; i++) {
        json_t *e = json_array_get(steps, i);
        const char *name = json_string_value(json_object_get(e, "name"));
        if (!name || strcmp(name, rep->steps[i].name) != 0) {
            rep->error = xasprintf("%s: step %zu is '%s' in the state but '%s' in the document",
                                   path, i + 1, name ? name : "", rep->steps[i].name);
            goto out;
        }
        run_result *r = &rep->results[i];
        const char *st = json_string_value(json_object_get(e, "status"));
        r->status = st ? run_status_parse(st) : RUN_NONE;
        r->code = (int)json_integer_value(json_object_get(e, "code"));
        r->output = str_or_empty(json_object_get(e, "output"));
        r->standard_output = str_or_empty(json_object_get(e, "standardOutput"));
        r->standard_error = str_or_empty(json_object_get(e, "standardError"));
        r->start_ms = json_integer_value(json_object_get(e, "startMs"));
        r->end_ms = json_integer_value(json_object_get(e, "endMs"));
        r->exit_code = -1;
        if (r->status == RUN_SUCCESS_AND_REBOOT && *restart == rep->step_count)
            *restart = i;
    }
    if (*restart == rep->step_count) {
        rep->error = xasprintf("%s: no step is waiting for a reboot; nothing to resume", path);
        goto out;
    }
    free(rep->run_id);
    rep->run_id = xstrdup(run_id);
    free(rep->orchestration);
    rep->orchestration = xstrdup(orch);
    ok = true;
out:
    json_decref(root);
    free(path);
    return ok;
}

bool run_document(run_step *steps, size_t count, const run_options *opts, run_report *rep)
{
    memset(rep, 0, sizeof *rep);
    rep->steps = steps;
    rep->step_count = count;
    rep->results = xcalloc(count ? count : 1, sizeof *rep->results);
    rep->run_id = new_run_id();
    runner rn = {.opts = opts, .report = rep, .wake_fd = run_signals_install()};

    size_t first = 0;
    if (opts->resume && !load_state(opts->resume, rep, &first))
        goto fail;
    if (!rep->orchestration) {
        if (opts->orchestration) {
            if (!is_dir(opts->orchestration) && mkdir(opts->orchestration, 0700) != 0) {
                rep->error = xasprintf("cannot create %s: %s", opts->orchestration, strerror(errno));
                goto fail;
            }
            rep->orchestration = xstrdup(opts->orchestration);
        } else {
            char *base = base_directory();
            char *templ = xasprintf("%s/ssmc-run-XXXXXX", base);
            free(base);
            if (!mkdtemp(templ) || !write_marker(templ, rep->run_id)) {
                rep->error = xasprintf("cannot create an orchestration directory %s: %s", templ,
                                       strerror(errno));
                free(templ);
                goto fail;
            }
            rep->orchestration = templ;
        }
    }

    bool reboot_stop = false;
    run_steps(&rn, steps, count, rep->results, first, rep->orchestration, 0, &reboot_stop);
    rep->rebooted = reboot_stop;
    rep->document_status = run_document_status(rep->results, count);
    rep->summary = run_execution_summary(steps, rep->results, count);
    free(rn.pwsh);
    if (reboot_stop) {
        if (!save_state(opts, rep))
            return false;
        rep->kept = true;
    } else if (opts->keep || opts->orchestration) {
        rep->kept = true;
    } else {
        remove_tree(rep->orchestration);
    }
    return true;
fail:
    free(rn.pwsh);
    return false;
}

void run_report_free(run_report *rep)
{
    for (size_t i = 0; i < rep->step_count; i++)
        run_result_free(&rep->results[i]);
    free(rep->results);
    free(rep->summary);
    free(rep->run_id);
    free(rep->orchestration);
    free(rep->state_file);
    free(rep->error);
    memset(rep, 0, sizeof *rep);
}

/* Each byte that is not part of valid UTF-8 becomes U+FFFD, as Go's
 * encoding/json writes the agent's reply. */
static char *utf8_scrub(const char *text)
{
    const char *p = text ? text : "";
    size_t len = strlen(p);
    buf b;
    buf_init(&b);
    buf_adds(&b, "");
    for (;;) {
        size_t ok = utf8_first_invalid(p, len);
        buf_add(&b, p, ok);
        if (ok >= len)
            break;
        utf8_encode(&b, 0xFFFD);
        p += ok + 1;
        len -= ok + 1;
    }
    return buf_steal(&b);
}

/* --- reports ------------------------------------------------------------------ */

static json_t *status_entry(const run_step *s, const run_result *r)
{
    char *start = iso8601(r->start_ms), *end = iso8601(r->end_ms);
    /* A script may print any bytes; json_pack refuses invalid UTF-8 and the
     * step would vanish from runtimeStatus. */
    char *output = utf8_scrub(r->output), *out = utf8_scrub(r->standard_output);
    char *err = utf8_scrub(r->standard_error);
    json_t *e = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s}", "status",
                          run_status_name(r->status), "code", r->code, "name", s->action, "output",
                          output, "startDateTime", start, "endDateTime", end,
                          "standardOutput", out, "standardError", err);
    free(output);
    free(out);
    free(err);
    free(start);
    free(end);
    return e;
}

/* The steps of documents run by aws:runDocument, keyed "parent/child" (and
 * deeper "a/b/c"). The agent's reply has no such entries (the child's
 * results only reach the parent step's output, rundocument.go); they are
 * kept apart from runtimeStatus so that runtimeStatus, its counts and the
 * ExecutionSummary stay exactly the agent's. */
static void nested_entries(json_t *into, const char *prefix, const run_step *steps,
                           const run_result *results, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const run_result *r = &results[i];
        if (r->status == RUN_NONE)
            continue;
        char *key = prefix ? xasprintf("%s/%s", prefix, steps[i].name) : xstrdup(steps[i].name);
        if (prefix) {
            json_t *e = status_entry(&steps[i], r);
            json_object_set_new(e, "parentStep", json_string(prefix));
            json_object_set_new(into, key, e);
        }
        if (r->child_count)
            nested_entries(into, key, steps[i].children, r->children,
                           r->child_count < steps[i].child_count ? r->child_count
                                                                 : steps[i].child_count);
        free(key);
    }
}

json_t *run_report_json(const run_report *rep)
{
    json_t *statuses = json_object();
    json_t *counts = json_object();
    for (size_t i = 0; i < rep->step_count; i++) {
        const run_result *r = &rep->results[i];
        if (r->status == RUN_NONE)
            continue;
        json_object_set_new(statuses, rep->steps[i].name, status_entry(&rep->steps[i], r));
        const char *name = run_status_name(r->status);
        json_int_t n = json_integer_value(json_object_get(counts, name));
        json_object_set_new(counts, name, json_integer(n + 1));
    }
    json_t *root = json_pack("{s:s, s:o, s:o, s:s, s:s}", "documentStatus",
                             run_status_name(rep->document_status), "runtimeStatus", statuses,
                             "runtimeStatusCounts", counts, "executionSummary",
                             rep->summary ? rep->summary : "", "runId", rep->run_id);
    json_t *nested = json_object();
    nested_entries(nested, NULL, rep->steps, rep->results, rep->step_count);
    if (json_object_size(nested))
        json_object_set_new(root, "nestedRuntimeStatus", nested);
    else
        json_decref(nested);
    if (rep->state_file)
        json_object_set_new(root, "stateFile", json_string(rep->state_file));
    return root;
}

static void add_indented(buf *out, const char *text, size_t depth)
{
    if (!text || !*text)
        return;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        buf_printf(out, "%*s    | ", (int)(depth * 2), "");
        buf_add(out, p, n);
        buf_addc(out, '\n');
        if (!nl)
            break;
        p = nl + 1;
    }
}

/* One line per step; the steps of a document run by aws:runDocument follow
 * their parent, indented, each with its own status, code and output. */
static void text_steps(buf *out, const run_step *steps, const run_result *results, size_t count,
                       size_t depth)
{
    for (size_t i = 0; i < count; i++) {
        const run_result *r = &results[i];
        const run_step *s = &steps[i];
        if (r->status == RUN_NONE) {
            buf_printf(out, "%*s%s (%s): not run\n", (int)(depth * 2), "", s->name, s->action);
            continue;
        }
        buf_printf(out, "%*s%s (%s): %s, code %d\n", (int)(depth * 2), "", s->name, s->action,
                   run_status_name(r->status), r->code);
        /* a runDocument step's output is its children's, shown with them */
        if (r->child_count)
            text_steps(out, s->children, r->children,
                       r->child_count < s->child_count ? r->child_count : s->child_count,
                       depth + 1);
        else
            add_indented(out, r->output, depth);
    }
}

void run_report_text(const run_report *rep, buf *out)
{
    text_steps(out, rep->steps, rep->results, rep->step_count, 0);
    buf_printf(out, "Document status: %s\n", run_status_name(rep->document_status));
    buf_printf(out, "Execution summary: %s\n", rep->summary ? rep->summary : "");
}

/* --- from the plan ------------------------------------------------------------ */

static char *json_str_dup(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? xstrdup(s) : NULL;
}

static void step_from_plan(const json_t *j, run_step *s)
{
    memset(s, 0, sizeof *s);
    s->name = json_str_dup(j, "name");
    s->action = json_str_dup(j, "action");
    if (!s->name)
        s->name = xstrdup("");
    if (!s->action)
        s->action = xstrdup("");
    if (strcmp(s->action, "aws:runShellScript") == 0)
        s->kind = RUN_KIND_SHELL;
    else if (strcmp(s->action, "aws:runPowerShellScript") == 0)
        s->kind = RUN_KIND_POWERSHELL;
    else if (strcmp(s->action, "aws:runDocument") == 0)
        s->kind = RUN_KIND_DOCUMENT;
    else
        s->kind = RUN_KIND_OTHER;
    s->execute = json_is_true(json_object_get(j, "run"));
    const char *decision = json_string_value(json_object_get(j, "decision"));
    if (!s->execute) {
        bool failed = decision && strcmp(decision, "failed") == 0;
        s->decided = failed ? RUN_FAILED : RUN_SKIPPED;
        s->decided_message = json_str_dup(j, failed ? "failure" : "skipReason");
    }
    const json_t *script = json_object_get(j, "script");
    s->script = json_str_dup(script, "text");
    s->working_dir = json_str_dup(j, "workingDirectory");
    const json_t *t = json_object_get(j, "timeoutSeconds");
    s->timeout = json_is_number(t) ? json_number_value(t) : 3600;
    const json_t *env = json_object_get(j, "environment");
    if (json_is_object(env) && json_object_size(env)) {
        s->env = xcalloc(json_object_size(env), sizeof *s->env);
        const char *key;
        json_t *value;
        json_object_foreach((json_t *)env, key, value)
        {
            const char *v = json_string_value(value);
            s->env[s->env_count].name = xstrdup(key);
            s->env[s->env_count].value = xstrdup(v ? v : "");
            s->env_count++;
        }
    }
    s->on_failure = json_str_dup(j, "onFailure");
    s->on_success = json_str_dup(j, "onSuccess");
    s->finally_step = json_is_true(json_object_get(j, "finallyStep"));
    const json_t *kids = json_object_get(j, "steps");
    if (s->kind == RUN_KIND_DOCUMENT && json_is_array(kids) && json_array_size(kids)) {
        s->child_count = json_array_size(kids);
        s->children = xcalloc(s->child_count, sizeof *s->children);
        for (size_t i = 0; i < s->child_count; i++)
            step_from_plan(json_array_get(kids, i), &s->children[i]);
    } else if (s->kind == RUN_KIND_DOCUMENT && s->execute) {
        /* nothing to run inline: the plan could not expand the document */
        s->execute = false;
        s->decided = RUN_FAILED;
        s->decided_message = xasprintf("Step %s: the document of aws:runDocument was not found "
                                       "locally (see --doc-path)",
                                       s->name);
    }
}

bool run_steps_from_plan(const json_t *plan, run_step **steps, size_t *count)
{
    const json_t *arr = json_object_get(plan, "steps");
    *steps = NULL;
    *count = 0;
    if (!json_is_array(arr))
        return false;
    *count = json_array_size(arr);
    *steps = xcalloc(*count ? *count : 1, sizeof **steps);
    for (size_t i = 0; i < *count; i++)
        step_from_plan(json_array_get(arr, i), &(*steps)[i]);
    return true;
}
