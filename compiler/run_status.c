/* run_status.c — the SSM Agent's status model, as `ssmc run` applies it:
 * exit codes to statuses, the 168/169 and onFailure post-processing of
 * RunPlugins, the document status aggregation, the output truncations and
 * the association ExecutionSummary. Every string here is the agent's, byte
 * for byte; the source file is named beside each rule. */
#include "run.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[] = {
    [RUN_NONE] = "",
    [RUN_NOT_STARTED] = "NotStarted",
    [RUN_IN_PROGRESS] = "InProgress",
    [RUN_SUCCESS] = "Success",
    [RUN_SUCCESS_AND_REBOOT] = "SuccessAndReboot",
    [RUN_PASSED_AND_REBOOT] = "PassedAndReboot",
    [RUN_FAILED] = "Failed",
    [RUN_CANCELLED] = "Cancelled",
    [RUN_TIMED_OUT] = "TimedOut",
    [RUN_SKIPPED] = "Skipped",
};

const char *run_status_name(run_status status)
{
    if ((size_t)status >= sizeof status_names / sizeof *status_names)
        return "";
    return status_names[status];
}

run_status run_status_parse(const char *name)
{
    for (size_t i = 1; i < sizeof status_names / sizeof *status_names; i++)
        if (strcmp(status_names[i], name) == 0)
            return (run_status)i;
    return RUN_NONE;
}

/* --- bounded captures -------------------------------------------------- */

void run_capture_add(run_capture *c, const char *data, size_t len)
{
    if (!c->data) {
        c->data = xmalloc(RUN_CAPTURE_KEEP + 1);
        c->data[0] = '\0';
    }
    size_t room = RUN_CAPTURE_KEEP - c->kept;
    size_t take = len < room ? len : room;
    if (take) {
        memcpy(c->data + c->kept, data, take);
        c->kept += take;
        c->data[c->kept] = '\0';
    }
    c->total += len;
}

void run_capture_adds(run_capture *c, const char *s)
{
    run_capture_add(c, s, strlen(s));
}

void run_capture_clear(run_capture *c)
{
    c->kept = 0;
    c->total = 0;
    if (c->data)
        c->data[0] = '\0';
}

void run_capture_free(run_capture *c)
{
    free(c->data);
    memset(c, 0, sizeof *c);
}

/* --- truncations --------------------------------------------------------- */

/* plugins/pluginutil/pluginutil.go StringPrefix: note `len(input) <
 * maxLength`, so a value of exactly maxLength bytes is cut too. */
char *run_string_prefix(const char *s, uint64_t len, size_t max, const char *suffix)
{
    size_t slen = strlen(suffix);
    if (len < max)
        return xstrndup(s ? s : "", (size_t)len);
    if (max > slen) {
        size_t pos = max - slen;
        buf b;
        buf_init(&b);
        buf_add(&b, s, pos);
        buf_adds(&b, suffix);
        return buf_steal(&b);
    }
    return xstrndup(suffix, max);
}

static const char truncate_out[] = "\n---Output truncated---";
static const char truncate_err[] = "\n---Error truncated----";
static const char error_title[] = "\n----------ERROR-------\n";

static void add_prefix(buf *b, const run_capture *c, int64_t n)
{
    if (n <= 0 || !c->data)
        return;
    size_t take = (uint64_t)n < c->kept ? (size_t)n : c->kept;
    buf_add(b, c->data, take);
}

/* iohandler.go TruncateOutput. Sizes are bytes (Go len). Where Go would
 * slice out of range (a panic in the agent), the slice is clamped. */
char *run_truncate_output(const run_capture *out, const run_capture *err, size_t capacity)
{
    int64_t out_size = (int64_t)out->total, err_size = (int64_t)err->total;
    const char *title = err_size > 0 ? error_title : "";
    int64_t available = (int64_t)capacity - (int64_t)strlen(title);
    int64_t lo = (int64_t)(sizeof truncate_out - 1), le = (int64_t)(sizeof truncate_err - 1);
    buf b;
    buf_init(&b);
    if (out_size + err_size < available) {
        add_prefix(&b, out, out_size);
        buf_adds(&b, title);
        add_prefix(&b, err, err_size);
    } else if (out_size > available / 2 && err_size > available / 2) {
        int64_t size = available - le - lo;
        add_prefix(&b, out, size / 2);
        buf_adds(&b, truncate_out);
        buf_adds(&b, title);
        add_prefix(&b, err, size / 2);
        buf_adds(&b, truncate_err);
    } else if (out_size < available / 2) {
        int64_t size = available - le;
        add_prefix(&b, out, out_size);
        buf_adds(&b, title);
        add_prefix(&b, err, size - out_size);
        buf_adds(&b, truncate_err);
    } else {
        int64_t size = available - lo;
        add_prefix(&b, out, size - err_size);
        buf_adds(&b, truncate_out);
        buf_adds(&b, title);
        add_prefix(&b, err, err_size);
    }
    return buf_steal(&b);
}

/* --- statuses -------------------------------------------------------------- */

/* plugins/pluginutil GetStatus (unix and windows variants): 0 Success; the
 * reboot code SuccessAndReboot; the preemptive-stop code (137 after the
 * agent's SIGKILL) Cancelled when cancelled, else TimedOut; anything else
 * Failed. */
run_status run_status_from_exit(int code, bool windows, int killed_by)
{
    if (killed_by == 'C')
        return RUN_CANCELLED;
    if (killed_by == 'T')
        return RUN_TIMED_OUT;
    if (code == 0)
        return RUN_SUCCESS;
    if (code == (windows ? RUN_EXIT_REBOOT_WINDOWS : RUN_EXIT_REBOOT))
        return RUN_SUCCESS_AND_REBOOT;
    return RUN_FAILED;
}

/* contracts/aggregator.go DocumentResultAggregator, final update (no
 * current plugin): SuccessAndReboot, then Failed, TimedOut, Cancelled; all
 * Success or Skipped -> Success ("Skipped is a form of success"); else
 * InProgress. Steps without a result do not count. */
run_status run_document_status(const run_result *results, size_t count)
{
    size_t n = 0, ok = 0;
    bool reboot = false, failed = false, timed_out = false, cancelled = false;
    for (size_t i = 0; i < count; i++) {
        run_status s = results[i].status;
        if (s == RUN_NONE)
            continue;
        n++;
        switch (s) {
        case RUN_SUCCESS_AND_REBOOT: reboot = true; break;
        case RUN_FAILED: failed = true; break;
        case RUN_TIMED_OUT: timed_out = true; break;
        case RUN_CANCELLED: cancelled = true; break;
        case RUN_SUCCESS:
        case RUN_SKIPPED: ok++; break;
        default: break;
        }
    }
    if (reboot)
        return RUN_SUCCESS_AND_REBOOT;
    if (failed)
        return RUN_FAILED;
    if (timed_out)
        return RUN_TIMED_OUT;
    if (cancelled)
        return RUN_CANCELLED;
    if (ok == n)
        return RUN_SUCCESS;
    return RUN_IN_PROGRESS;
}

/* framework/runpluginutil/runpluginutil.go RunPlugins, after runPlugin:
 * the additions go to the untrimmed StandardOutput/StandardError (out and
 * err here); Output was computed by the plugin before and is left alone. */
bool run_apply_exit_control(const run_step *step, run_result *r, run_capture *out,
                            run_capture *err)
{
    bool on_failure = step->on_failure && (strcmp(step->on_failure, "exit") == 0 ||
                                           strcmp(step->on_failure, "successAndExit") == 0);
    if (r->code == RUN_EXIT_SUCCESS_AND_EXIT) {
        r->status = RUN_SUCCESS;
        run_capture_clear(err);
        run_capture_adds(out, "\nStep exited with code 168. Therefore, marking step as succeeded. "
                              "Further document steps will be skipped.");
        return true;
    }
    if (r->code == RUN_EXIT_FAIL_AND_EXIT) {
        const char *m = "\nStep exited with code 169. Therefore, marking step as Failed. "
                        "Further document steps will be skipped.";
        run_capture_adds(err, m);
        run_capture_adds(out, m);
        return true;
    }
    if (r->status == RUN_FAILED && on_failure) {
        const char *m = "\nStep was found to have onFailure property. Further document steps "
                        "will be skipped.";
        run_capture_adds(err, m);
        run_capture_adds(out, m);
        if (strcmp(step->on_failure, "successAndExit") == 0) {
            r->status = RUN_SUCCESS;
            r->code = RUN_EXIT_SUCCESS_AND_EXIT;
        }
        return true;
    }
    /* getShouldPluginSkipBasedOnControlFlow: a Success with onSuccess: exit
     * ends the document too (no message is added). */
    if (r->status == RUN_SUCCESS && step->on_success && strcmp(step->on_success, "exit") == 0)
        return true;
    return false;
}

/* association/processor/processor.go: the summary of a finished run.
 * Completed = plugins with a result; success counts Success,
 * SuccessAndReboot and PassedAndReboot; Cancelled counts nowhere; one
 * "The operation <pluginId> failed because <standardError>." per Failed
 * plugin; then capped like StringPrefix(510, "--output truncated--"). */
char *run_execution_summary(const run_step *steps, const run_result *results, size_t count)
{
    size_t completed = 0, success = 0, failed = 0, timed_out = 0, skipped = 0;
    buf failures;
    buf_init(&failures);
    buf_adds(&failures, "");
    for (size_t i = 0; i < count; i++) {
        switch (results[i].status) {
        case RUN_NONE: continue;
        case RUN_SUCCESS:
        case RUN_SUCCESS_AND_REBOOT:
        case RUN_PASSED_AND_REBOOT: success++; break;
        case RUN_FAILED:
            failed++;
            buf_printf(&failures, "\nThe operation %s failed because %s.", steps[i].name,
                       results[i].standard_error ? results[i].standard_error : "");
            break;
        case RUN_TIMED_OUT: timed_out++; break;
        case RUN_SKIPPED: skipped++; break;
        default: break;
        }
        completed++;
    }
    char *full = xasprintf("%zu out of %zu plugin%s processed, %zu success, %zu failed, "
                           "%zu timedout, %zu skipped. %s",
                           completed, count, count > 1 ? "s" : "", success, failed, timed_out,
                           skipped, failures.data);
    buf_free(&failures);
    char *capped = run_string_prefix(full, strlen(full), RUN_SUMMARY_LIMIT, "--output truncated--");
    free(full);
    return capped;
}

void run_result_free(run_result *r)
{
    free(r->output);
    free(r->standard_output);
    free(r->standard_error);
    memset(r, 0, sizeof *r);
}

void run_step_free(run_step *step)
{
    free(step->name);
    free(step->action);
    free(step->decided_message);
    free(step->script);
    free(step->working_dir);
    for (size_t i = 0; i < step->env_count; i++) {
        free(step->env[i].name);
        free(step->env[i].value);
    }
    free(step->env);
    free(step->on_failure);
    free(step->on_success);
    for (size_t i = 0; i < step->child_count; i++)
        run_step_free(&step->children[i]);
    free(step->children);
    memset(step, 0, sizeof *step);
}
