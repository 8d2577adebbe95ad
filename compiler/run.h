/* run.h — `ssmc run`: a local reference agent. It executes the steps of an
 * execution plan on this machine the way the SSM Agent does and reports the
 * statuses, outputs and summaries the fleet would report.
 *
 *   run_exec.c    one process: script file, fork/exec in its own session,
 *                 stdout/stderr read concurrently with poll() into bounded
 *                 captures, timeout and cancel kill the whole process group
 *   run_status.c  the agent's status model: exit code -> status, 168/169,
 *                 onFailure/onSuccess/finallyStep, document status, output
 *                 truncation, the association ExecutionSummary
 *   run.c         driving a list of steps: control flow, reboots and the
 *                 resume state file, progress lines, text and JSON reports
 *
 * Sources (aws/amazon-ssm-agent): framework/runpluginutil/runpluginutil.go
 * (RunPlugins: control flow, 168/169 messages, final trims),
 * framework/processor/executer/iohandler/iohandler.go (TruncateOutput,
 * limits), plugins/pluginutil (StringPrefix, GetStatus), executers
 * (timeouts, exit 137), contracts/aggregator.go (document status),
 * association/processor/processor.go (ExecutionSummary).
 *
 * Internal to libssmc and the CLI; not installed. */
#ifndef SSMC_RUN_H
#define SSMC_RUN_H

#include "internal.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>

/* --- statuses (run_status.c) ------------------------------------------ */

typedef enum run_status {
    RUN_NONE = 0,            /* no result (a step after a reboot stop) */
    RUN_NOT_STARTED,
    RUN_IN_PROGRESS,
    RUN_SUCCESS,
    RUN_SUCCESS_AND_REBOOT,
    RUN_PASSED_AND_REBOOT,
    RUN_FAILED,
    RUN_CANCELLED,
    RUN_TIMED_OUT,
    RUN_SKIPPED
} run_status;

const char *run_status_name(run_status status);   /* "Success", ... */
run_status run_status_parse(const char *name);    /* RUN_NONE if unknown */

/* The agent's limits (iohandler.go DefaultOutputConfig, MaximumPluginOutputSize;
 * association processor). */
enum {
    RUN_OUTPUT_LIMIT = 2500,
    RUN_STDOUT_LIMIT = 24000,
    RUN_STDERR_LIMIT = 8000,
    RUN_SUMMARY_LIMIT = 510,
    RUN_EXIT_REBOOT = 194,
    RUN_EXIT_REBOOT_WINDOWS = 3010,
    RUN_EXIT_SUCCESS_AND_EXIT = 168,
    RUN_EXIT_FAIL_AND_EXIT = 169,
    RUN_EXIT_KILLED = 137            /* CommandStoppedPreemptivelyExitCode */
};

/* The first bytes of a stream and its full length: all that the agent's
 * truncations need (they keep prefixes only), so memory stays bounded
 * however much a script prints. */
#define RUN_CAPTURE_KEEP (RUN_STDOUT_LIMIT + 1)
typedef struct run_capture {
    char *data;              /* kept bytes, NUL-terminated (owned) */
    size_t kept;             /* <= RUN_CAPTURE_KEEP */
    uint64_t total;          /* every byte ever appended */
} run_capture;

void run_capture_add(run_capture *c, const char *data, size_t len);
void run_capture_adds(run_capture *c, const char *s);
void run_capture_clear(run_capture *c);
void run_capture_free(run_capture *c);

/* pluginutil.StringPrefix: the value when shorter than max, else its first
 * max - len(suffix) bytes and suffix. Returns a malloc'd string. */
char *run_string_prefix(const char *s, uint64_t len, size_t max, const char *suffix);
/* iohandler.TruncateOutput(stdout, stderr, capacity): the plugin's Output. */
char *run_truncate_output(const run_capture *out, const run_capture *err, size_t capacity);

/* pluginutil.GetStatus for a finished process. killed_by: 0 normal exit,
 * 'T' the timeout killed it, 'C' it was cancelled. */
run_status run_status_from_exit(int code, bool windows, int killed_by);

/* --- steps ------------------------------------------------------------- */

typedef enum run_kind {
    RUN_KIND_SHELL,          /* aws:runShellScript */
    RUN_KIND_POWERSHELL,     /* aws:runPowerShellScript */
    RUN_KIND_DOCUMENT,       /* aws:runDocument: children run inline */
    RUN_KIND_OTHER           /* not executed locally (unless --simulate) */
} run_kind;

typedef struct run_env {
    char *name, *value;
} run_env;

/* One step as the runner needs it: filled from the plan. */
typedef struct run_step {
    char *name;              /* the step name = the agent's pluginId */
    char *action;            /* "aws:runShellScript" (pluginName) */
    run_kind kind;
    bool execute;            /* the plan's decision: run on this platform */
    run_status decided;      /* when !execute: RUN_SKIPPED or RUN_FAILED */
    char *decided_message;   /* the agent's message for that decision */
    char *script;            /* exact script text (shell/PowerShell) */
    double timeout;          /* effective timeoutSeconds */
    char *working_dir;       /* NULL or "": the runner's working directory */
    run_env *env;            /* ENV_VAR parameters as SSM_<name>, environment input */
    size_t env_count;
    char *on_failure;        /* "exit", "successAndExit", other (ignored), NULL */
    char *on_success;        /* "exit", other, NULL */
    bool finally_step;
    struct run_step *children;   /* RUN_KIND_DOCUMENT: the child's steps */
    size_t child_count;
} run_step;

void run_step_free(run_step *step);

/* A step's result, as the agent's PluginResult after RunPlugins. */
typedef struct run_result {
    run_status status;
    int code;
    char *output;            /* Output (2500 limit), or the decision message */
    char *standard_output;   /* StandardOutput (24000) */
    char *standard_error;    /* StandardError (8000) */
    int64_t start_ms, end_ms;    /* wall clock, ms since the epoch (0: none) */
    int exit_code;           /* raw process exit code (-1: no process) */
    /* aws:runDocument: the results of the child's steps (owned), one per
     * run_step.children entry. */
    struct run_result *children;
    size_t child_count;
} run_result;

void run_result_free(run_result *r);

/* --- process execution (run_exec.c) ------------------------------------ */

typedef struct run_exec_request {
    const char *argv0;       /* program, looked up in PATH ("sh", "pwsh") */
    const char *const *argv; /* NULL-terminated */
    const char *working_dir; /* NULL: inherit */
    const run_env *env;      /* added to (and overriding) the environment */
    size_t env_count;
    double timeout;          /* seconds (already scaled), > 0 */
    const char *stdout_path; /* full streams are written here when non-NULL */
    const char *stderr_path;
    volatile sig_atomic_t *cancel;   /* set asynchronously (SIGINT): cancel */
    int wake_fd;             /* readable when *cancel may have changed, or -1 */
} run_exec_request;

typedef struct run_exec_result {
    bool started;            /* false: could not start; message in error */
    int exit_code;           /* the process's status (128+signal when killed) */
    int killed_by;           /* 0, 'T' timeout, 'C' cancelled */
    run_capture out, err;
    char *error;             /* Go-like start error text (owned), or NULL */
} run_exec_result;

/* Runs one process to completion, timeout or cancellation. Never leaves a
 * process of its group behind; returns when the main process is reaped and
 * either both pipes reached EOF or the deadline passed. */
void run_exec(const run_exec_request *req, run_exec_result *res);
void run_exec_result_free(run_exec_result *res);

/* Installs the SIGINT handler that sets run_cancel_flag and wakes poll()
 * through run_wake_fd (a self-pipe). Idempotent. */
extern volatile sig_atomic_t run_cancel_flag;
int run_signals_install(void);     /* returns the read end of the self-pipe */

/* --- driving a document (run.c) ---------------------------------------- */

typedef struct run_simulation {
    char *plugin;            /* "aws:downloadContent" */
    run_status status;       /* RUN_SUCCESS or RUN_FAILED */
} run_simulation;

typedef struct run_options {
    const char *document;        /* the document's file name (state check) */
    const char *platform;        /* "linux", "macos" (windows: never runs scripts) */
    const char *orchestration;   /* existing directory to use, or NULL: mkdtemp */
    const char *resume;          /* state file or directory, or NULL */
    bool keep;                   /* keep the orchestration directory */
    bool progress;               /* live progress lines on progress_out */
    bool color;
    FILE *progress_out;
    const run_simulation *simulate;
    size_t simulate_count;
    double timeout_scale;        /* SSMC_RUN_TIMEOUT_SCALE (test only), 1 normally */
    const char *pwsh;            /* pwsh path, or NULL: looked up on PATH */
} run_options;

typedef struct run_report {
    run_step *steps;             /* borrowed */
    size_t step_count;
    run_result *results;         /* one per step (owned) */
    run_status document_status;
    char *summary;               /* the association ExecutionSummary (owned) */
    char *run_id;                /* SSM_COMMAND_ID (owned) */
    char *orchestration;         /* the directory used (owned) */
    char *state_file;            /* written when the run stopped for a reboot */
    bool rebooted;               /* stopped at a SuccessAndReboot step */
    bool cancelled;              /* SIGINT arrived */
    bool kept;                   /* the orchestration directory still exists */
    char *error;                 /* trouble (exit 3) message, or NULL */
    bool usage;                  /* error is a usage error (exit 2): a --resume state refused */
} run_report;

/* Runs the steps. Returns false on trouble (report->error says why). */
bool run_document(run_step *steps, size_t count, const run_options *opts, run_report *report);
void run_report_free(run_report *report);

/* The steps of one platform's plan (plan_build's JSON): decisions,
 * scripts, timeouts, working directories, environments, control flow and
 * the inline children of aws:runDocument. */
bool run_steps_from_plan(const json_t *plan, run_step **steps, size_t *count);

/* The document status of the results (contracts/aggregator.go). */
run_status run_document_status(const run_result *results, size_t count);
/* contracts.MergeResultStatus: the higher of two statuses in the agent's
 * precedence Skipped < Success < SuccessAndReboot < PassedAndReboot <
 * NotStarted < InProgress < Failed < Cancelled < TimedOut. */
run_status run_merge_status(run_status a, run_status b);
/* The association ExecutionSummary (association processor), capped at 510. */
char *run_execution_summary(const run_step *steps, const run_result *results, size_t count);

/* The agent's reply shape: documentStatus, runtimeStatus, ... */
json_t *run_report_json(const run_report *report);
void run_report_text(const run_report *report, buf *out);

/* The control-flow post-processing of RunPlugins for one executed step:
 * 168/169 and onFailure. Returns true when later steps must be skipped
 * (an exit condition). */
bool run_apply_exit_control(const run_step *step, run_result *r, run_capture *out,
                            run_capture *err);

#endif
