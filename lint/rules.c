/* rules.c — what the built-in rules share, and the rules that apply to
 * shell and PowerShell alike: parameter injection, ENV_VAR parameters,
 * exit codes 168/169 (hard-coded secrets: rules_secrets.c). */
#include "lint.h"

#include <ctype.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ssmc_diag *rule_report(rule_ctx *ctx, ssmc_rule rule, size_t a, size_t b, const char *fmt, ...)
{
    /* A session's commands are no Run Command step: no exit code makes a
     * step fail, they run as ssm-user or the Run As user (not root), and an
     * interactive session has the user's terminal to answer prompts. */
    if ((ctx->sc->session && (rule == SSMC_RULE_SSM5020 || rule == SSMC_RULE_SSM5004)) ||
        (ctx->sc->terminal && (rule == SSMC_RULE_SSM5003 || rule == SSMC_RULE_SSM5001)))
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    ssmc_diag *d = ssmc_diag_addv(ctx->diags, rule, ctx->sc->file, script_span(ctx->sc, a, b),
                                  fmt, ap);
    va_end(ap);
    if (ctx->rec) {
        lint_record_item(ctx->rec, LINT_REC_FINDING, rule, a, b, 0, d->message);
        ctx->rec->last = d;
    }
    return d;
}

bool rule_fix_apply(const lint_script *sc, ssmc_diag *d, size_t a, size_t b, const char *text,
                    bool checked)
{
    size_t sa, sb;
    if (!d || !script_source_range(sc, a, b, &sa, &sb))
        return false;
    const ssmc_source *src = sc->source;
    /* What follows a deletion may start the scalar; YAML would then read
     * an indicator ([, {, &, *, !, |, >, quotes, %, @, #) as syntax. */
    if (checked && sb < src->len && b > a && strchr("[]{}&*!|>'\"%@#,", src->data[sb]))
        return false;
    size_t before = d->fix_count;
    ssmc_diag_add_fix(d, sc->file, span_from_offsets(src, sa, sb), text);
    return d->fix_count > before;
}

/* A fix or note is recorded against the finding just reported; one on any
 * other finding could not be replayed. */
static void record_on(const rule_ctx *ctx, const ssmc_diag *d, lint_rec_kind kind, size_t a,
                      size_t b, uint32_t param, const char *text)
{
    if (!ctx->rec || !d)
        return;
    if (d != ctx->rec->last)
        ctx->rec->unusable = true;
    else
        lint_record_item(ctx->rec, kind, d->rule, a, b, param, text);
}

bool rule_fix(const rule_ctx *ctx, ssmc_diag *d, size_t a, size_t b, const char *text)
{
    record_on(ctx, d, LINT_REC_FIX, a, b, 0, text);
    return rule_fix_apply(ctx->sc, d, a, b, text, true);
}

void rule_fix_verbatim(const rule_ctx *ctx, ssmc_diag *d, size_t a, size_t b, const char *text)
{
    record_on(ctx, d, LINT_REC_FIX_VERBATIM, a, b, 0, text);
    rule_fix_apply(ctx->sc, d, a, b, text, false);
}

void rule_related_param(const rule_ctx *ctx, ssmc_diag *d, size_t k, const char *fmt, ...)
{
    const ssmc_node *params = ctx->sc->params;
    if (!d || !params || params->type != SSMC_NODE_MAP || k >= params->count)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *message = xvasprintf(fmt, ap);
    va_end(ap);
    record_on(ctx, d, LINT_REC_RELATED, 0, 0, (uint32_t)k, message);
    ssmc_diag_add_related(d, ctx->sc->file, params->pairs[k].key->span, "%s", message);
    free(message);
}

/* What ends a word: a blank, ; & | newline or ), and NUL (as strchr on
 * these once did). */
static const bool word_break[256] = {[0] = true,   [' '] = true, ['\t'] = true, [';'] = true,
                                     ['&'] = true, ['|'] = true, ['\n'] = true, [')'] = true};

size_t rule_words(const rule_ctx *ctx, size_t from, cmd_word *words, size_t max)
{
    const char *s = ctx->code;
    size_t i = from, n = 0;
    for (;;) {
        while (i < ctx->len && (s[i] == ' ' || s[i] == '\t'))
            i++;
        /* s[i] is no blank here: a break ends the command. */
        if (i >= ctx->len || word_break[(unsigned char)s[i]] || n == max)
            return n;
        size_t start = i;
        while (i < ctx->len && !word_break[(unsigned char)s[i]]) {
            if (s[i] == '\'' || s[i] == '"') {
                char q = s[i++];
                while (i < ctx->len && s[i] != q)
                    i += (q == '"' && s[i] == '\\') ? 2 : 1;
                if (i < ctx->len)
                    i++;
            } else if (s[i] == '\\') {
                i += 2;
            } else if (s[i] == '{' && i + 1 < ctx->len && s[i + 1] == '{') {
                /* A {{ parameter }} token is one word even with spaces. */
                const char *close = strstr(s + i, "}}");
                i = close && (size_t)(close - s) < ctx->len ? (size_t)(close - s) + 2 : i + 2;
            } else {
                i++;
            }
        }
        if (i > ctx->len)
            i = ctx->len;
        words[n].start = start;
        words[n].end = i;
        n++;
    }
}

bool rule_word_is(const rule_ctx *ctx, const cmd_word *w, const char *lit)
{
    size_t n = strlen(lit);
    return w->end - w->start == n && memcmp(ctx->code + w->start, lit, n) == 0;
}

const script_ref *rule_ref_in(const rule_ctx *ctx, size_t a, size_t b)
{
    for (size_t i = 0; i < ctx->sc->ref_count; i++) {
        const script_ref *r = &ctx->sc->refs[i];
        if (r->param && r->token.start >= a && r->token.start < b)
            return r;
    }
    return NULL;
}

bool rule_param_constrained(const ssmc_node *def)
{
    return def && def->type == SSMC_NODE_MAP &&
           (ssmc_map_get(def, "allowedPattern") || ssmc_map_get(def, "allowedValues"));
}

/* --- parameter injection --------------------------------------------- */

static size_t line_start(const char *s, size_t i)
{
    while (i > 0 && s[i - 1] != '\n')
        i--;
    return i;
}

/* eval, sh -c, Invoke-Expression before position i on its line. */
static bool in_eval(const rule_ctx *ctx, size_t i)
{
    size_t ls = line_start(ctx->code, i);
    static const char *sh_pat =
        "(?:^|[\\s;&|(`])(?:eval|(?:ba|z|k|da)?sh[ \\t]+(?:-[a-zA-Z]+[ \\t]+)*-[a-zA-Z]*c)(?=[\\s\"'])";
    static const char *ps_pat = "(?:\\bInvoke-Expression\\b|\\biex\\b|\\bpowershell(?:\\.exe)?\\s+(?:-\\w+\\s+)*-c(?:ommand)?\\b|\\bpwsh\\s+(?:-\\w+\\s+)*-c(?:ommand)?\\b)";
    static const char *const sh_needles[] = {"eval", "sh", NULL};
    static const char *const ps_needles[] = {"invoke-expression", "iex", "powershell", "pwsh", NULL};
    bool ps = ctx->sc->lang == SCRIPT_POWERSHELL;
    lint_regex *re = ps ? lint_regex_needing(ps_pat, true, ps_needles, LINT_NEEDLES_CASELESS)
                        : lint_regex_needing(sh_pat, false, sh_needles, 0);
    size_t ms, me;
    return lint_regex_group(re, &ctx->lits, ctx->code, i, ls, 0, &ms, &me, NULL, NULL);
}

/* AWS's fallback for agents without ENV_VAR support (spec 11.1):
 *   export SSM_name="{{name}}"      $env:SSM_name = "{{name}}" */
static bool env_var_fallback(const rule_ctx *ctx, const script_ref *r)
{
    size_t ls = line_start(ctx->s, r->token.start);
    size_t n = r->token.start - ls;
    char want[160];
    int w = snprintf(want, sizeof want, "SSM_%.*s", (int)r->token.name_len,
                     ctx->s + r->token.name_start);
    if (w <= 0 || (size_t)w >= sizeof want)
        return false;
    /* The text just before the token: SSM_name= then an optional quote. */
    size_t i = r->token.start;
    if (i > ls && (ctx->s[i - 1] == '"' || ctx->s[i - 1] == '\''))
        i--;
    while (i > ls && (ctx->s[i - 1] == ' ' || ctx->s[i - 1] == '\t'))
        i--;
    if (i == ls || ctx->s[i - 1] != '=')
        return false;
    i--;
    while (i > ls && (ctx->s[i - 1] == ' ' || ctx->s[i - 1] == '\t'))
        i--;
    (void)n;
    return i - ls >= (size_t)w && memcmp(ctx->s + i - w, want, (size_t)w) == 0;
}

/* The token is a whole command: nothing but blanks between it and the
 * start of its line (or a ; & | before it). */
static bool command_position(const rule_ctx *ctx, const script_ref *r)
{
    size_t i = r->token.start;
    while (i > 0 && (ctx->code[i - 1] == ' ' || ctx->code[i - 1] == '\t'))
        i--;
    if (i > 0 && !strchr("\n;&|{(", ctx->code[i - 1]))
        return false;
    size_t e = r->token.end;
    while (e < ctx->len && (ctx->code[e] == ' ' || ctx->code[e] == '\t' || ctx->code[e] == '\r'))
        e++;
    return e >= ctx->len || strchr("\n;&|)}", ctx->code[e]);
}

/* What a reviewer reads stops at a NUL; what the shell runs does not. */
static void rule_nul(rule_ctx *ctx)
{
    const char *nul = memchr(ctx->s, '\0', ctx->len);
    if (nul) {
        size_t at = (size_t)(nul - ctx->s);
        rule_report(ctx, SSMC_RULE_SSM5151, at, at + 1,
                    "the script contains a NUL byte (\\u0000) at character %zu: the agent "
                    "writes all of it to the script file and the shell runs what follows, "
                    "which most tools do not show; remove it", utf8_count(ctx->s, at) + 1);
    }
}

/* A Parameter Store value is pasted as text like a parameter's (the agent
 * resolves {{ssm:...}} before the script is written): whoever may write
 * that parameter runs commands here when it is unquoted or evaluated. */
static void ssm_injection(rule_ctx *ctx, const script_ref *r)
{
    unsigned char kind = ctx->lex.kind[r->token.start];
    if (kind == SHLEX_COMMENT)
        return;
    bool eval = in_eval(ctx, r->token.start);
    if (!eval && kind != SHLEX_CODE)
        return;
    int n = (int)(r->token.end - r->token.start);
    rule_report(ctx, SSMC_RULE_SSM5008, r->token.start, r->token.end,
                "the Parameter Store value '%.*s' is pasted %s: whoever may write that "
                "parameter runs commands here; quote it, or read it at run time (aws ssm "
                "get-parameter) into a variable and quote the variable",
                n, ctx->s + r->token.start,
                eval ? "into code that is evaluated again (eval, sh -c, Invoke-Expression)"
                     : "unquoted, so any value with ; $( ) or spaces runs as code");
}

static void rule_injection(rule_ctx *ctx)
{
    const lint_script *sc = ctx->sc;
    bool ps = sc->lang == SCRIPT_POWERSHELL;
    for (size_t i = 0; i < sc->ref_count; i++) {
        const script_ref *r = &sc->refs[i];
        const ssmc_node *def = r->param;
        if (r->token.kind == REF_SSM && r->token.agent_ssm_form) {
            ssm_injection(ctx, r);
            continue;
        }
        if (!def || def->type != SSMC_NODE_MAP)
            continue;
        const char *type = lint_map_str(def, "type");
        if (!type || strcmp(type, "String") != 0)
            continue;
        unsigned char kind = ctx->lex.kind[r->token.start];
        if (kind == SHLEX_COMMENT)
            continue;
        int nl = (int)r->token.name_len;
        const char *name = sc->text.data + r->token.name_start;
        const char *interp = lint_map_str(def, "interpolationType");
        if (interp && strcmp(interp, "ENV_VAR") == 0) {
            if (env_var_fallback(ctx, r))
                continue;
            rule_report(ctx, SSMC_RULE_SSM5009, r->token.start, r->token.end,
                        "parameter '%.*s' has interpolationType ENV_VAR, but '{{ %.*s }}' still "
                        "pastes its value into the script text; use %s%.*s%s instead",
                        nl, name, nl, name, ps ? "$env:SSM_" : "\"$SSM_", nl, name,
                        ps ? "" : "\"");
            continue;
        }
        if (rule_param_constrained(def))
            continue;
        bool eval = in_eval(ctx, r->token.start);
        if (kind == SHLEX_CODE && !eval && command_position(ctx, r)) {
            /* The whole command comes from the parameter (AWS-RunRemoteScript's
             * commandLine): running anything is the point, so say so once. */
            ssmc_diag *d = rule_report(
                ctx, SSMC_RULE_SSM5008, r->token.start, r->token.end,
                "String parameter '%.*s' is run as a command: whoever may set it runs anything "
                "as root; if that is the intent, restrict who can send this document, else "
                "constrain it with allowedValues or allowedPattern",
                nl, name);
            (void)d;
            continue;
        }
        bool quoted = kind == SHLEX_SQUOTE || kind == SHLEX_DQUOTE || kind == SHLEX_HEREDOC;
        const char *how = eval     ? "into code that is evaluated again (eval, sh -c, "
                                     "Invoke-Expression)"
                          : quoted ? "inside quotes, which a quote in the value closes"
                                   : "unquoted, so any value with ; $( ) or spaces runs as code";
        ssmc_diag *d = rule_report(
            ctx, SSMC_RULE_SSM5008, r->token.start, r->token.end,
            "String parameter '%.*s' has neither allowedPattern nor allowedValues and is pasted "
            "%s; constrain it with allowedPattern (e.g. '^[a-zA-Z0-9._/-]+$') or declare "
            "'interpolationType: ENV_VAR' and read %s%.*s%s",
            nl, name, how, ps ? "$env:SSM_" : "\"$SSM_", nl, name, ps ? "" : "\"");
        size_t declared = SIZE_MAX;
        for (size_t k = 0; sc->params && k < sc->params->count; k++)
            if (sc->params->pairs[k].value == def)
                declared = k;
        if (declared != SIZE_MAX)
            rule_related_param(ctx, d, declared, "parameter '%.*s' is declared here", nl, name);
    }
}

/* --- exit codes -------------------------------------------------------- */

static void rule_exit_codes(rule_ctx *ctx)
{
    bool ps = ctx->sc->lang == SCRIPT_POWERSHELL;
    static const char *const exit_needles[] = {"exit", NULL};
    static const char *const ps_exit_needles[] = {"exit", "[environment]::exit", NULL};
    lint_regex *re = lint_regex_needing(
        ps ? "(?i)(?:\\bexit[ \\t]+|\\[Environment\\]::Exit\\(\\s*)(168|169|194|3010)(?![0-9])"
           : "(?:^|[;&|{(!]|\\bthen|\\bdo|\\belse)[ \\t]*exit[ \\t]+(168|169|194|3010)(?![0-9])",
        false, ps ? ps_exit_needles : exit_needles,
        ps ? LINT_NEEDLES_CASELESS | LINT_STARTS_AT_NEEDLE : LINT_LINE_LOCAL);
    size_t ms, me, gs, ge;
    for (size_t from = 0; lint_regex_group(re, &ctx->lits, ctx->code, ctx->len, from, 1, &ms, &me, &gs, &ge);
         from = me) {
        int code = atoi(ctx->code + gs);
        if (code == 168)
            rule_report(ctx, SSMC_RULE_SSM5007, gs, ge,
                        "exit code 168 marks this step Success and skips every later step of "
                        "the document (agent 3.0.502.0 and later)");
        else if (code == 169)
            rule_report(ctx, SSMC_RULE_SSM5007, gs, ge,
                        "exit code 169 marks this step Failed and skips every later step of "
                        "the document (agent 3.0.502.0 and later)");
        else if (code == 3010 && !ps)
            rule_report(ctx, SSMC_RULE_SSM5006, gs, ge,
                        "3010 is the Windows reboot code; sh takes exit codes modulo 256, so this "
                        "reboots only by accident (3010 %% 256 = 194): write 'exit 194'");
        else if (code == 194 && ps)
            rule_report(ctx, SSMC_RULE_SSM5006, gs, ge,
                        "194 is the reboot code of Linux and macOS; on Windows the agent reads "
                        "it as a failure: write 'exit 3010' (194 is right only for pwsh on "
                        "Linux)");
    }
}

/* --- driver -------------------------------------------------------------- */

/* The code view's line joins: the lexer has blanked comments and
 * here-document bodies in it (shell_lex_run); a line continuation joins
 * two lines into one command. */
static void join_continuations(char *code, size_t len, const shell_lex *lex, bool ps)
{
    char cont = ps ? '`' : '\\';
    for (const char *p = len ? memchr(code, cont, len) : NULL; p;) {
        size_t i = (size_t)(p - code);
        if (i + 1 >= len)
            break;
        if (code[i + 1] == '\n' && lex->kind[i] == SHLEX_CODE)
            code[i] = code[i + 1] = ' ';
        p = memchr(code + i + 1, cont, len - i - 1);
    }
}

bool rules_run(const lint_script *script, ssmc_diags *diags, lint_record *rec)
{
    /* Field by field: the lits are most of the struct and are set by
     * their build. */
    rule_ctx ctx;
    ctx.sc = script;
    ctx.s = script->text.data;
    ctx.len = script->text.len;
    ctx.diags = diags;
    ctx.rec = rec;
    lint_lits_build(&ctx.lits, ctx.s, ctx.len);
    bool ps = script->lang == SCRIPT_POWERSHELL;
    ctx.code = xmalloc(ctx.len + 1);
    memcpy(ctx.code, ctx.s, ctx.len);
    ctx.code[ctx.len] = '\0';
    shell_lex_run(ctx.s, ctx.len, ps, &ctx.lex, ctx.code);
    join_continuations(ctx.code, ctx.len, &ctx.lex, ps);
    ctx.lits.code = ctx.code;
    /* In the other language, the rules of this one only add noise; the
     * text-level ones (NUL bytes, injection, secrets) still hold. */
    bool wrong = rules_wrong_language(&ctx);
    rule_nul(&ctx);
    rule_injection(&ctx);
    rules_secrets(&ctx);
    if (!wrong) {
        rule_exit_codes(&ctx);
        rules_dollar_refs(&ctx);
        if (ps)
            rules_powershell(&ctx);
        else
            rules_shell(&ctx);
    }
    free(ctx.code);
    lint_lits_free(&ctx.lits);
    shell_lex_free(&ctx.lex);
    return wrong;
}
