/* rules_shell.c — built-in rules for aws:runShellScript scripts (run by
 * the agent as `sh -c _script.sh`, as root, without a terminal). */
#include "lint.h"

#include <string.h>

/* Where a command word may start: line start, after ; & | ( { ` $( or a
 * keyword, then optional wrappers (sudo, env, nohup, VAR=value ...). The
 * command itself is group 1. */
#define CMD_POS "(?:^|[;&|({`]|\\$\\(|\\b(?:then|do|else|elif|if|while|until|time|exec|!)[ \\t])[ \\t]*"
/* Wrappers and VAR=value prefixes before a command word. A value that opens
 * a command substitution (home=$(getent passwd ...)) is not a prefix: the
 * command is inside it. */
#define CMD_WRAP                                                                               \
    "(?:(?:sudo|env|command|nohup|exec|time|nice|stdbuf|setsid)(?:[ \\t]+-[^\\s]+)*[ \\t]+|"   \
    "timeout[ \\t]+(?:-\\S+[ \\t]+)*\\S+[ \\t]+|"                                               \
    "[A-Za-z_][A-Za-z0-9_]*=(?:\"[^\"\\n]*\"|'[^'\\n]*'|[^\\s;&|()`]*)[ \\t]+)*"
#define CMD_END "(?=[ \\t;&|)\\n]|$)"

/* One '|' separated list of needles (at most 8), parsed with its index
 * keys once per process: the lists are static strings. */
typedef struct needle_list {
    const char *needles;
    size_t count;
    lint_needle nd[8];
} needle_list;

static void parse_needles(needle_list *nl, const char *needles)
{
    nl->needles = needles;
    nl->count = 0;
    for (const char *p = needles; *p && nl->count < 8; nl->count++) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        lint_needle_init(&nl->nd[nl->count], p, n, false);
        p += bar ? n + 1 : n;
    }
}

/* Where the needles of one pattern next occur: kept across the calls of
 * one `while (next_command(...))` loop so that each needle's text is
 * searched once, however many matches the loop visits. */
typedef struct needle_cache {
    const needle_list *list;    /* NULL: empty */
    size_t from;                /* at[] holds occurrences at or after this */
    size_t at[8];               /* next occurrence, SIZE_MAX: none */
} needle_cache;

typedef struct found {
    size_t cmd_start, cmd_end; /* the command word */
    size_t match_end;
    cmd_word words[64];        /* its arguments */
    size_t nwords;
    needle_cache needles;      /* next_command's state; zero it before a loop */
} found;

#define PARSED_LISTS 32

/* The earliest offset at or after `from` where one of `needles` ('|'
 * separated literals, at most 8) starts in the code view, or SIZE_MAX. */
static size_t find_needle(const rule_ctx *ctx, size_t from, const char *needles,
                          needle_cache *nc)
{
    if (!nc->list || nc->list->needles != needles || from < nc->from) {
        static needle_list parsed[PARSED_LISTS];
        static size_t parsed_count;
        const needle_list *nl = NULL;
        for (size_t i = 0; i < parsed_count && !nl; i++)
            if (parsed[i].needles == needles)
                nl = &parsed[i];
        if (!nl && parsed_count < PARSED_LISTS)
            parse_needles(&parsed[parsed_count], needles), nl = &parsed[parsed_count++];
        if (!nl) {
            /* Never with the lists of this file (fewer than PARSED_LISTS). */
            static needle_list spare;
            parse_needles(&spare, needles);
            nl = &spare;
        }
        nc->list = nl;
        for (size_t k = 0; k < nl->count; k++)
            nc->at[k] = lint_lits_may_hold(&ctx->lits, &nl->nd[k])
                            ? lint_lits_find(&ctx->lits, &nl->nd[k], ctx->code, ctx->len, from)
                            : SIZE_MAX;
    }
    const needle_list *nl = nc->list;
    nc->from = from;
    size_t best = SIZE_MAX;
    for (size_t k = 0; k < nl->count; k++) {
        if (nc->at[k] < from)
            nc->at[k] = lint_lits_find(&ctx->lits, &nl->nd[k], ctx->code, ctx->len, from);
        if (nc->at[k] < best)
            best = nc->at[k];
    }
    return best;
}

/* Next occurrence of a command from `pattern` at a command position, with
 * its arguments. `needles` lists literals ('|' separated) at least one of
 * which every match's group 1 contains.
 *
 * Speed: running the pattern over the whole script costs as much as every
 * other rule together (it is tried at every line and separator), and most
 * scripts never name most commands. A match never spans a newline (no part
 * of CMD_POS, CMD_WRAP or a command group matches one), so the pattern only
 * runs on lines holding a needle, with the subject cut at the line's end:
 * `$` and the CMD_END look-ahead match there as they would before the
 * newline, and look-behinds still see the bytes before the start. No match
 * can start on an earlier line (its group 1 would hold an earlier needle).
 * Each call moves `from` past the needle it found, so the scan stays
 * linear. */
static bool next_command(rule_ctx *ctx, const char *pattern, const char *needles, size_t *from,
                         found *f)
{
    lint_regex *re = NULL; /* compiled on first need: most scripts never need it */
    size_t ms, me;
    while (*from <= ctx->len) {
        size_t hit = find_needle(ctx, *from, needles, &f->needles);
        if (hit == SIZE_MAX)
            return false;
        if (!re)
            re = lint_regex_get(pattern, false);
        size_t line = hit;
        while (line > *from && ctx->code[line - 1] != '\n')
            line--;
        const char *nl = memchr(ctx->code + hit, '\n', ctx->len - hit);
        size_t eol = nl ? (size_t)(nl - ctx->code) : ctx->len;
        if (!lint_regex_group(re, &ctx->lits, ctx->code, eol, line, 1, &ms, &me, &f->cmd_start, &f->cmd_end)) {
            *from = eol + 1;
            continue;
        }
        *from = me > ms ? me : ms + 1;
        if (ctx->lex.kind[f->cmd_start] != SHLEX_CODE)
            continue;
        f->match_end = me;
        f->nwords = rule_words(ctx, f->cmd_end, f->words, sizeof f->words / sizeof f->words[0]);
        return true;
    }
    return false;
}

static const char *word_text(const rule_ctx *ctx, const cmd_word *w, char *out, size_t cap)
{
    size_t n = w->end - w->start;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, ctx->code + w->start, n);
    out[n] = '\0';
    return out;
}

static bool any_word(const rule_ctx *ctx, const found *f, const char *const *lits)
{
    for (size_t i = 0; i < f->nwords; i++)
        for (size_t k = 0; lits[k]; k++)
            if (rule_word_is(ctx, &f->words[i], lits[k]))
                return true;
    return false;
}

/* A short-option cluster (-xyz, not --long) containing c. */
static bool short_flag(const rule_ctx *ctx, const found *f, char c)
{
    for (size_t i = 0; i < f->nwords; i++) {
        const char *w = ctx->code + f->words[i].start;
        size_t n = f->words[i].end - f->words[i].start;
        if (n >= 2 && w[0] == '-' && w[1] != '-' && memchr(w + 1, c, n - 1))
            return true;
    }
    return false;
}

/* Input comes from a pipe: `yes | yum install ...`, `echo pw | passwd --stdin`. */
static bool piped_in(const rule_ctx *ctx, size_t cmd_start)
{
    size_t i = cmd_start;
    while (i > 0 && ctx->code[i - 1] != '\n') {
        i--;
        if (ctx->code[i] == '|' && ctx->lex.kind[i] == SHLEX_CODE &&
            !(i > 0 && ctx->code[i - 1] == '|') && !(i + 1 < ctx->len && ctx->code[i + 1] == '|'))
            return true;
        if ((ctx->code[i] == ';' || ctx->code[i] == '&') && ctx->lex.kind[i] == SHLEX_CODE)
            return false;
    }
    return false;
}

/* --- package managers ------------------------------------------------- */

static void rule_packages(rule_ctx *ctx)
{
    static const char *pat = CMD_POS CMD_WRAP "(yum|dnf|tdnf|apt-get|apt|zypper)" CMD_END;
    static const char *const yum_sub[] = {"install", "remove", "erase", "update", "upgrade",
                                          "groupinstall", "groupupdate", "groupremove",
                                          "localinstall", "reinstall", "downgrade", "autoremove",
                                          "distro-sync", "group", "groups", "module", NULL};
    static const char *const apt_sub[] = {"install", "remove", "purge", "upgrade", "dist-upgrade",
                                          "full-upgrade", "autoremove", "reinstall", NULL};
    static const char *const zyp_sub[] = {"install", "in", "remove", "rm", "update", "up",
                                          "patch", "dist-upgrade", "dup", "install-new-recommends",
                                          "inr", NULL};
    static const char *const yes_words[] = {"-y", "--yes", "--assumeyes", "--assume-yes",
                                            "--force-yes", "-n", "--non-interactive",
                                            "--no-confirm", "-qq", "-q=2", "--quiet=2", NULL};
    static const char *const frontend_needles[] = {"DEBIAN_FRONTEND", NULL};
    bool frontend = lint_regex_group(
        lint_regex_needing("DEBIAN_FRONTEND[ \\t]*=[ \\t]*[\"']?noninteractive", false,
                           frontend_needles, 0), &ctx->lits,
        ctx->code,
        ctx->len, 0, 0, &(size_t){0}, &(size_t){0}, NULL, NULL);
    bool frontend_reported = false;
    size_t from = 0;
    found f = {0};
    while (next_command(ctx, pat, "yum|dnf|tdnf|apt-get|apt|zypper", &from, &f)) {
        char cmd[16], sub[32];
        word_text(ctx, &(cmd_word){f.cmd_start, f.cmd_end}, cmd, sizeof cmd);
        bool apt = strncmp(cmd, "apt", 3) == 0, zypper = strcmp(cmd, "zypper") == 0;
        const char *const *subs = apt ? apt_sub : zypper ? zyp_sub : yum_sub;
        const cmd_word *subw = NULL;
        for (size_t i = 0; i < f.nwords && !subw; i++)
            if (ctx->code[f.words[i].start] != '-')
                subw = &f.words[i];
        if (!subw)
            continue;
        word_text(ctx, subw, sub, sizeof sub);
        bool prompts = false;
        for (size_t k = 0; subs[k] && !prompts; k++)
            prompts = strcmp(sub, subs[k]) == 0;
        if (!prompts)
            continue;
        bool yes = any_word(ctx, &f, yes_words) || short_flag(ctx, &f, 'y') ||
                   (zypper && short_flag(ctx, &f, 'n')) || piped_in(ctx, f.cmd_start);
        for (size_t i = 0; i < f.nwords && !yes; i++) {
            char w[64];
            word_text(ctx, &f.words[i], w, sizeof w);
            yes = strstr(w, "Assume-Yes=true") || strstr(w, "assumeyes=1") ||
                  strstr(w, "assumeyes=True");
        }
        if (!yes) {
            ssmc_diag *d = rule_report(
                ctx, SSMC_RULE_SSM5001, f.cmd_start, subw->end,
                "'%s %s' asks for confirmation, and the agent has no terminal to answer: "
                "the step fails or hangs; add %s",
                cmd, sub, zypper ? "--non-interactive (zypper -n ...)" : "-y");
            /* zypper wants -n before the subcommand; the others take -y after it. */
            if (zypper)
                rule_fix(ctx, d, subw->start, subw->start, "-n ");
            else
                rule_fix(ctx, d, subw->end, subw->end, " -y");
            continue;
        }
        if (apt && !frontend && !frontend_reported &&
            (strcmp(sub, "install") == 0 || strstr(sub, "upgrade"))) {
            frontend_reported = true;
            rule_report(ctx, SSMC_RULE_SSM5002, f.cmd_start, subw->end,
                        "'%s %s' without DEBIAN_FRONTEND=noninteractive: package scripts may "
                        "still ask debconf questions; export DEBIAN_FRONTEND=noninteractive "
                        "first",
                        cmd, sub);
        }
    }
}

/* --- terminal input, sudo, reboot ------------------------------------- */

static bool preceded_by_word(const rule_ctx *ctx, size_t i, const char *word)
{
    while (i > 0 && (ctx->code[i - 1] == ' ' || ctx->code[i - 1] == '\t'))
        i--;
    size_t n = strlen(word);
    return i >= n && memcmp(ctx->code + i - n, word, n) == 0 &&
           (i == n || strchr(" \t\n;&|(", ctx->code[i - n - 1]));
}

static void rule_terminal(rule_ctx *ctx)
{
    size_t from = 0;
    found f = {0};
    static const char *read_pat = CMD_POS CMD_WRAP "(read)" CMD_END;
    /* Input for a loop or group is redirected after its end. */
    static const char *const lt_needles[] = {"<", NULL};
    lint_regex *done_redirect =
        lint_regex_needing("(?:\\bdone|[})])[ \\t]*<", false, lt_needles, LINT_LINE_LOCAL);
    while (next_command(ctx, read_pat, "read", &from, &f)) {
        if (preceded_by_word(ctx, f.cmd_start, "while") || preceded_by_word(ctx, f.cmd_start, "until") ||
            piped_in(ctx, f.cmd_start) || short_flag(ctx, &f, 't') || short_flag(ctx, &f, 'u'))
            continue;
        bool redirected = false;
        for (size_t i = 0; i < f.nwords; i++)
            redirected |= ctx->code[f.words[i].start] == '<';
        size_t ms, me;
        if (redirected || lint_regex_group(done_redirect, &ctx->lits, ctx->code, ctx->len, f.cmd_end, 0, &ms,
                                           &me, NULL, NULL))
            continue;
        rule_report(ctx, SSMC_RULE_SSM5003, f.cmd_start, f.cmd_end,
                    "'read' has no terminal to read from: the agent gives the script no input, so "
                    "it gets nothing (or waits until the step times out); pass the value as a "
                    "document parameter");
    }
    from = 0;
    static const char *passwd_pat = CMD_POS CMD_WRAP "(passwd)" CMD_END;
    while (next_command(ctx, passwd_pat, "passwd", &from, &f)) {
        bool option = false;
        for (size_t i = 0; i < f.nwords; i++)
            option |= ctx->code[f.words[i].start] == '-' || ctx->code[f.words[i].start] == '<';
        if (option || piped_in(ctx, f.cmd_start))
            continue;
        rule_report(ctx, SSMC_RULE_SSM5003, f.cmd_start, f.cmd_end,
                    "'passwd' prompts for the new password on a terminal the agent does not "
                    "have; use chpasswd (echo 'user:password' | chpasswd) or passwd --stdin");
    }
    from = 0;
    static const char *edit_pat = CMD_POS CMD_WRAP "(vi|vim|nvim|nano|emacs|pico|joe)" CMD_END;
    static const char *const batch[] = {"-e", "-E", "-es", "-Es", "-s", "--batch", "-batch",
                                        "--script", "-u", NULL};
    while (next_command(ctx, edit_pat, "vi|vim|nvim|nano|emacs|pico|joe", &from, &f)) {
        bool scripted = any_word(ctx, &f, batch);
        for (size_t i = 0; i < f.nwords; i++)
            scripted |= ctx->code[f.words[i].start] == '+' ||
                        (f.words[i].end - f.words[i].start >= 2 &&
                         memcmp(ctx->code + f.words[i].start, "-c", 2) == 0);
        if (scripted || piped_in(ctx, f.cmd_start))
            continue;
        char cmd[16];
        word_text(ctx, &(cmd_word){f.cmd_start, f.cmd_end}, cmd, sizeof cmd);
        rule_report(ctx, SSMC_RULE_SSM5003, f.cmd_start, f.cmd_end,
                    "'%s' is an interactive editor and waits for a terminal the agent does not "
                    "have; edit files with sed -i, tee or a heredoc",
                    cmd);
    }
}

static void rule_sudo(rule_ctx *ctx)
{
    static const char *pat = CMD_POS "(sudo)" CMD_END;
    static const char *const switch_user[] = {"-u", "-g", "--user", "--group", NULL};
    size_t from = 0;
    found f = {0};
    while (next_command(ctx, pat, "sudo", &from, &f)) {
        bool other_user = any_word(ctx, &f, switch_user);
        for (size_t i = 0; i < f.nwords && !other_user; i++) {
            const char *w = ctx->code + f.words[i].start;
            size_t n = f.words[i].end - f.words[i].start;
            if (n > 2 && (memcmp(w, "-u", 2) == 0 || memcmp(w, "--user=", n < 7 ? n : 7) == 0))
                other_user = true;
            if (w[0] != '-')
                break;
        }
        if (other_user || f.nwords == 0)
            continue;
        ssmc_diag *d = rule_report(ctx, SSMC_RULE_SSM5004, f.cmd_start, f.cmd_end,
                                   "the agent already runs this script as root: 'sudo' is "
                                   "redundant and fails where sudoers has 'requiretty'; remove it");
        /* Plain `sudo CMD`: drop the word and its blanks (options of sudo
         * itself would need a judgement). */
        if (ctx->code[f.words[0].start] != '-')
            rule_fix(ctx, d, f.cmd_start, f.words[0].start, "");
    }
}

static void rule_reboot(rule_ctx *ctx)
{
    static const char *pat =
        CMD_POS CMD_WRAP
        "(reboot|shutdown|systemctl(?:[ \\t]+--?[a-z-]+)*[ \\t]+reboot|(?:tel)?init[ \\t]+6)" CMD_END;
    size_t from = 0;
    found f = {0};
    while (next_command(ctx, pat, "reboot|shutdown|init", &from, &f)) {
        char cmd[32];
        word_text(ctx, &(cmd_word){f.cmd_start, f.cmd_end}, cmd, sizeof cmd);
        if (strcmp(cmd, "shutdown") == 0) {
            static const char *const r[] = {"-r", "--reboot", NULL};
            if (!any_word(ctx, &f, r) && !short_flag(ctx, &f, 'r'))
                continue;
        }
        static const char *const help[] = {"--help", "-h", NULL};
        if (strcmp(cmd, "reboot") == 0 && any_word(ctx, &f, help))
            continue;
        rule_report(ctx, SSMC_RULE_SSM5005, f.cmd_start, f.cmd_end,
                    "rebooting with '%s' leaves the command's status wrong and never resumes "
                    "the document; 'exit 194' asks the agent to reboot and re-run this step "
                    "afterwards",
                    strncmp(cmd, "systemctl", 9) == 0 ? "systemctl reboot" : cmd);
    }
}

/* --- network ---------------------------------------------------------- */

static void rule_pipe_to_shell(rule_ctx *ctx)
{
    static const char *const needles[] = {"curl", "wget", NULL};
    lint_regex *re = lint_regex_needing(
        "\\b(?:curl|wget)\\b[^\\n|;&]*(?:&&[^\\n|;&]*)?\\|[ \\t]*(?:sudo[ \\t]+(?:-\\S+[ \\t]+)*)?"
        "(?:env[ \\t]+(?:\\S+=\\S*[ \\t]+)*)?((?:ba|z|k|da|fi)?sh|python[0-9.]*|perl|ruby)\\b"
        "|(?:ba|z|k|da)?sh[ \\t]+(?:-\\S+[ \\t]+)*(?:<\\(|-c[ \\t]+[\"']?\\$\\()[ \\t]*(?:curl|wget)\\b",
        false, needles, LINT_LINE_LOCAL);
    size_t ms, me, gs, ge;
    for (size_t from = 0; lint_regex_group(re, &ctx->lits, ctx->code, ctx->len, from, 0, &ms, &me, &gs, &ge);
         from = me) {
        if (ctx->lex.kind[ms] != SHLEX_CODE)
            continue;
        rule_report(ctx, SSMC_RULE_SSM5010, ms, me,
                    "a download is run directly by a shell, as root: whatever the server sends "
                    "runs; download to a file, verify its checksum or signature, then run it");
    }
}

static bool local_host(const char *url, size_t n)
{
    static const char *const hosts[] = {"http://169.254.", "http://localhost", "http://127.",
                                        "http://[::1]", "http://[fd00:ec2::", "http://0.0.0.0",
                                        "http://{{", "http://$", "http://%", NULL};
    for (size_t k = 0; hosts[k]; k++)
        if (n >= strlen(hosts[k]) && strncmp(url, hosts[k], strlen(hosts[k])) == 0)
            return true;
    return false;
}

static void rule_http(rule_ctx *ctx)
{
    static const char *const needles[] = {"http://", NULL};
    lint_regex *re = lint_regex_needing(
        "\\b(?:curl|wget|rpm|yum-config-manager|dnf[ \\t]+config-manager)\\b[^\\n;|]*?"
        "(http://[^\\s\"'`)<>|;]+)", false, needles, LINT_LINE_LOCAL);
    size_t ms, me, gs, ge;
    for (size_t from = 0; lint_regex_group(re, &ctx->lits, ctx->code, ctx->len, from, 1, &ms, &me, &gs, &ge);
         from = me) {
        if (ctx->lex.kind[ms] != SHLEX_CODE || local_host(ctx->code + gs, ge - gs))
            continue;
        rule_report(ctx, SSMC_RULE_SSM5011, gs, ge,
                    "download over plain http://, which anyone on the path can read and change; "
                    "use https://");
    }
}

static void rule_tls(rule_ctx *ctx)
{
    size_t from = 0;
    found f = {0};
    static const char *curl_pat = CMD_POS CMD_WRAP "(curl)" CMD_END;
    static const char *curl_arg_opts = "AbcCdDeEFHKmoPQrtTuUwxXyYz";
    while (next_command(ctx, curl_pat, "curl", &from, &f)) {
        for (size_t i = 0; i < f.nwords; i++) {
            const char *w = ctx->code + f.words[i].start;
            size_t n = f.words[i].end - f.words[i].start;
            bool insecure = rule_word_is(ctx, &f.words[i], "--insecure");
            if (n >= 2 && w[0] == '-' && w[1] != '-')
                for (size_t k = 1; k < n && !insecure; k++) {
                    if (w[k] == 'k')
                        insecure = true;
                    else if (strchr(curl_arg_opts, w[k]))
                        break;
                }
            if (insecure) {
                rule_report(ctx, SSMC_RULE_SSM5012, f.words[i].start, f.words[i].end,
                            "curl -k (--insecure) turns off TLS certificate checks, so HTTPS no "
                            "longer proves who answers; install the CA certificate instead");
                break;
            }
        }
    }
    static const char *const needles[] = {"--no-check-certificate", "sslverify",
                                          "git_ssl_no_verify", "--trusted-host", NULL};
    lint_regex *re = lint_regex_needing(
        "(--no-check-certificate|http\\.sslVerify[ \\t]*=?[ \\t]*false|GIT_SSL_NO_VERIFY=(?:1|true)"
        "|--trusted-host\\b|sslverify[ \\t]*=[ \\t]*(?:0|false))", true, needles,
        LINT_NEEDLES_CASELESS | LINT_LINE_LOCAL);
    size_t ms, me, gs, ge;
    for (size_t k = 0; lint_regex_group(re, &ctx->lits, ctx->code, ctx->len, k, 1, &ms, &me, &gs, &ge); k = me)
        if (ctx->lex.kind[gs] != SHLEX_COMMENT)
            rule_report(ctx, SSMC_RULE_SSM5012, gs, ge,
                        "'%.*s' turns off TLS certificate checks, so HTTPS no longer proves who "
                        "answers; install the CA certificate instead",
                        (int)(ge - gs), ctx->code + gs);
}

/* --- files ------------------------------------------------------------ */

static bool symbolic_world_write(const char *m, size_t n)
{
    size_t i = 0;
    while (i < n) {
        bool who_other = false, who_any = false;
        while (i < n && strchr("ugoa", m[i])) {
            who_other |= m[i] == 'o' || m[i] == 'a';
            who_any = true;
            i++;
        }
        while (i < n && m[i] != ',') {
            char op = m[i++];
            bool w = false;
            while (i < n && strchr("rwxXstugo", m[i]))
                w |= m[i++] == 'w';
            if ((op == '+' || op == '=') && w && (who_other || (!who_any && op == '=')))
                return true;
            if (!strchr("+-=", op))
                return false;
        }
        i++;
    }
    return false;
}

static void rule_world_writable(rule_ctx *ctx)
{
    static const char *pat = CMD_POS CMD_WRAP "(chmod)" CMD_END;
    size_t from = 0;
    found f = {0};
    while (next_command(ctx, pat, "chmod", &from, &f)) {
        for (size_t i = 0; i < f.nwords; i++) {
            const char *w = ctx->code + f.words[i].start;
            size_t n = f.words[i].end - f.words[i].start;
            if (w[0] == '-' && n > 1 && !strchr("rwx", w[1]))
                continue; /* an option such as -R */
            bool numeric = n >= 3 && n <= 4;
            for (size_t k = 0; k < n; k++)
                numeric &= w[k] >= '0' && w[k] <= '7';
            bool bad = numeric ? ((w[n - 1] - '0') & 2) && !(n == 4 && ((w[0] - '0') & 1))
                               : symbolic_world_write(w, n);
            if (bad)
                rule_report(ctx, SSMC_RULE_SSM5014, f.words[i].start, f.words[i].end,
                            "mode '%.*s' lets every user write here; give write access only to "
                            "the owner (e.g. 755 or 644), or use a group",
                            (int)n, w);
            break;
        }
    }
}

static void rule_rm_param(rule_ctx *ctx)
{
    static const char *pat = CMD_POS CMD_WRAP "(rm)" CMD_END;
    size_t from = 0;
    found f = {0};
    while (next_command(ctx, pat, "rm", &from, &f)) {
        static const char *const rec[] = {"--recursive", NULL};
        if (!short_flag(ctx, &f, 'r') && !short_flag(ctx, &f, 'R') && !any_word(ctx, &f, rec))
            continue;
        for (size_t i = 0; i < f.nwords; i++) {
            const script_ref *r = rule_ref_in(ctx, f.words[i].start, f.words[i].end);
            if (!r || r->param->type != SSMC_NODE_MAP || ssmc_map_get(r->param, "allowedValues"))
                continue;
            if (ssmc_map_get(r->param, "allowedPattern"))
                continue;
            rule_report(ctx, SSMC_RULE_SSM5015, r->token.start, r->token.end,
                        "rm -r on a path built from parameter '%.*s': an empty or crafted value "
                        "deletes the wrong tree; constrain it with allowedPattern and guard the "
                        "path (rm -rf -- \"${dir:?}\")",
                        (int)r->token.name_len, ctx->s + r->token.name_start);
        }
    }
}

/* --- process and script shape --------------------------------------- */

/* A ; ( newline, && or lone & that ends the command before position i+1. */
static bool command_separator(const rule_ctx *ctx, size_t i)
{
    char ch = ctx->code[i];
    if (ch == '\n')
        return true;
    if (ctx->lex.kind[i] != SHLEX_CODE)
        return false;
    if (ch == ';' || ch == '(')
        return true;
    if (ch != '&')
        return false;
    char prev = i > 0 ? ctx->code[i - 1] : '\0', next = i + 1 < ctx->len ? ctx->code[i + 1] : '\0';
    return prev != '>' && prev != '<' && next != '>';
}

static void rule_background(rule_ctx *ctx)
{
    const char *c = ctx->code;
    static const char *const wait_needles[] = {"wait", NULL}, *const exec_needles[] = {"exec", NULL},
                             *const gt_needles[] = {">", NULL};
    lint_regex *wait_re = lint_regex_needing("(?:^|[;&|({ \\t])wait\\b", false, wait_needles, 0);
    lint_regex *exec_re =
        lint_regex_needing("(?:^|[;&|({])[ \\t]*exec[ \\t]+[^\\n]*>", false, exec_needles, 0);
    lint_regex *out_re = lint_regex_needing(
        "(?:^|[^0-9&>])>>?[ \\t]*[^&\\s]|(?<![0-9])1>|&>|>&[ \\t]*[^0-9\\s]", false, gt_needles, 0);
    lint_regex *err_re = lint_regex_needing("2>|&>|>&[ \\t]*[^0-9\\s]", false, gt_needles, 0);
    size_t ms, me;
    for (size_t i = 0; i < ctx->len; i++) {
        const char *amp = memchr(c + i, '&', ctx->len - i);
        if (!amp)
            break;
        i = (size_t)(amp - c);
        if (ctx->lex.kind[i] != SHLEX_CODE)
            continue;
        char prev = i > 0 ? c[i - 1] : '\0', next = i + 1 < ctx->len ? c[i + 1] : '\0';
        if (next == '&' || next == '>' || prev == '&' || prev == '>' || prev == '<' || prev == '|') {
            if (next == '&')
                i++;
            continue;
        }
        /* The command (or pipeline) that goes to the background. */
        size_t s = i;
        while (s > 0 && !command_separator(ctx, s - 1))
            s--;
        while (s < i && (c[s] == ' ' || c[s] == '\t'))
            s++;
        if (s == i)
            continue;
        bool out = lint_regex_group(out_re, &ctx->lits, c, i, s, 0, &ms, &me, NULL, NULL);
        bool err = lint_regex_group(err_re, &ctx->lits, c, i, s, 0, &ms, &me, NULL, NULL);
        if (out && err)
            continue;
        if (lint_regex_group(wait_re, &ctx->lits, c, ctx->len, i + 1, 0, &ms, &me, NULL, NULL) ||
            lint_regex_group(exec_re, &ctx->lits, c, s, 0, 0, &ms, &me, NULL, NULL))
            continue;
        rule_report(ctx, SSMC_RULE_SSM5016, s, i + 1,
                    "this background job inherits the step's %s, and the agent waits until "
                    "they close: the step stays InProgress until the job exits; redirect it "
                    "(cmd > /var/log/cmd.log 2>&1 &)",
                    !out && !err ? "stdout and stderr" : out ? "stderr" : "stdout");
    }
}

static void rule_crlf_shebang(rule_ctx *ctx)
{
    const char *s = ctx->s;
    const char *cr = memchr(s, '\r', ctx->len);
    if (cr && (size_t)(cr - s) + 1 < ctx->len && cr[1] == '\n')
        rule_report(ctx, SSMC_RULE_SSM5017, (size_t)(cr - s), (size_t)(cr - s) + 1,
                    "the script has CRLF line endings; sh reads the carriage return as part of "
                    "each command ($'\\r': command not found): use \\n line endings");
    size_t ls = 0;
    size_t line = 1;
    while (ls < ctx->len) {
        size_t i = ls;
        while (i < ctx->len && (s[i] == ' ' || s[i] == '\t'))
            i++;
        bool bang = i + 1 < ctx->len && s[i] == '#' && s[i + 1] == '!' &&
                    ctx->lex.kind[i] == SHLEX_COMMENT;
        if (bang && (line > 1 || i > ls)) {
            size_t e = i;
            while (e < ctx->len && s[e] != '\n' && s[e] != '\r')
                e++;
            rule_report(ctx, SSMC_RULE_SSM5018, i, e,
                        "'%.*s' is on line %zu%s of the script the agent writes, where it is "
                        "only a comment and the script runs with sh; make it the very first "
                        "line (the first runCommand item, no leading blank line or spaces)",
                        (int)(e - i), s + i, line, i > ls ? " after spaces" : "");
            return;
        }
        const char *nl = memchr(s + ls, '\n', ctx->len - ls);
        if (!nl)
            break;
        ls = (size_t)(nl - s) + 1;
        line++;
    }
}

static void rule_ignored_failures(rule_ctx *ctx)
{
    const char *c = ctx->code;
    /* Every alternative holds one of these and stays on one line: the
     * pattern runs only on lines holding one (it was most of the regex
     * time of a script-heavy document, tried at every byte). */
    static const char *const needles[] = {"set", "#!", "ERR", "||", "exit", "$?", NULL};
    lint_regex *errexit = lint_regex_needing(
        "(?:^|[;&|({]|\\bthen|\\bdo)[ \\t]*set[ \\t]+(?:-[a-zA-Z]*e[a-zA-Z]*\\b|[^\\n]*-o[ \\t]+errexit)"
        "|^#![^\\n]*[ \\t]-[a-zA-Z]*e|\\btrap\\b[^\\n]*\\bERR\\b|\\|\\|[ \\t]*(?:exit|return)\\b"
        "|\\bexit[ \\t]+(?:[1-9]|\\$)|\\$\\?",
        false, needles, LINT_LINE_LOCAL);
    size_t ms, me;
    if (lint_regex_group(errexit, &ctx->lits, ctx->s, ctx->len, 0, 0, &ms, &me, NULL, NULL))
        return;
    size_t commands = 0, first = SIZE_MAX;
    size_t ls = 0;
    while (ls < ctx->len) {
        const char *nl = memchr(c + ls, '\n', ctx->len - ls);
        size_t e = nl ? (size_t)(nl - c) : ctx->len;
        size_t i = ls;
        while (i < e && (c[i] == ' ' || c[i] == '\t' || c[i] == '\r'))
            i++;
        if (i < e && !(ls == 0 && c[i] == '#')) {
            commands++;
            if (first == SIZE_MAX)
                first = i;
        }
        ls = e + 1;
    }
    if (commands < 3 || first == SIZE_MAX)
        return;
    size_t e = first;
    while (e < ctx->len && c[e] != '\n')
        e++;
    rule_report(ctx, SSMC_RULE_SSM5019, first, e,
                "only the exit status of the last command decides the step's status; a "
                "failure in the %zu lines before it goes unnoticed: add 'set -e' as the first "
                "line, or '|| exit 1' after the commands that matter",
                commands - 1);
}

void rules_shell(rule_ctx *ctx)
{
    rule_packages(ctx);
    rule_terminal(ctx);
    rule_sudo(ctx);
    rule_reboot(ctx);
    rule_pipe_to_shell(ctx);
    rule_http(ctx);
    rule_tls(ctx);
    rule_world_writable(ctx);
    rule_rm_param(ctx);
    rule_background(ctx);
    rule_crlf_shebang(ctx);
    rule_ignored_failures(ctx);
}
