/* rules_powershell.c — built-in rules for aws:runPowerShellScript scripts
 * (written to _script.ps1 and run with powershell -f / pwsh -f). */
#include "lint.h"

#include <string.h>

typedef struct ps_rule {
    ssmc_rule rule;
    const char *pattern;  /* caseless; group 1 (if any) is what is reported */
    const char *message;
    const char *needles[5]; /* caseless literals one of which every match holds */
    unsigned flags;         /* LINT_STARTS_AT_NEEDLE where every match starts at one */
} ps_rule;

static const ps_rule ps_rules[] = {
    {SSMC_RULE_SSM5005, "(?:^|[;{(|]|\\s)(Restart-Computer\\b|shutdown(?:\\.exe)?\\s+[/-]r\\b)",
     "rebooting from the script leaves the command's status wrong and never resumes the "
     "document; 'exit 3010' asks the agent to reboot and re-run this step afterwards",
     {"restart-computer", "shutdown", NULL}},
    {SSMC_RULE_SSM5010,
     "((?:iwr|irm|Invoke-WebRequest|Invoke-RestMethod|curl|wget)\\b[^\\n|]*\\|\\s*(?:iex|Invoke-Expression)\\b"
     "|(?:iex|Invoke-Expression)\\s*[(\\s]\\s*\\(*\\s*(?:New-Object\\s+(?:System\\.)?Net\\.WebClient\\s*\\)\\s*\\.DownloadString"
     "|iwr\\b|irm\\b|Invoke-WebRequest\\b|Invoke-RestMethod\\b))",
     "downloaded code is run directly with Invoke-Expression: whatever the server sends runs; "
     "save it to a file, check its signature (Get-AuthenticodeSignature) or hash, then run it",
     {"iex", "invoke-expression", NULL}},
    {SSMC_RULE_SSM5011,
     "(?:Invoke-WebRequest|iwr|Invoke-RestMethod|irm|Start-BitsTransfer|DownloadFile|DownloadString|wget|curl)\\b[^\\n]*?"
     "(http://(?!169\\.254\\.|localhost|127\\.|\\[::1\\]|\\[fd00:ec2::|\\{\\{|\\$)[^\\s\"'`)<>|;]+)",
     "download over plain http://, which anyone on the path can read and change; use https://",
     {"http://", NULL}},
    {SSMC_RULE_SSM5012,
     "(-SkipCertificateCheck\\b|ServerCertificateValidationCallback\\s*=\\s*\\{\\s*\\$true\\s*\\})",
     "this turns off TLS certificate checks, so HTTPS no longer proves who answers; install the "
     "CA certificate instead",
     {"-skipcertificatecheck", "servercertificatevalidationcallback", NULL},
     LINT_STARTS_AT_NEEDLE},
    {SSMC_RULE_SSM5014, "icacls\\b[^\\n]*?(\\b(?:Everyone|\\*S-1-1-0):\\(?(?:\\([A-Z]+\\))*\\(?(?:F|M|W)\\b\\)?)",
     "this grants Everyone write access; grant it to the accounts that need it",
     {"icacls", NULL}, LINT_STARTS_AT_NEEDLE},
};

void rules_powershell(rule_ctx *ctx)
{
    size_t ms, me, gs, ge;
    for (size_t r = 0; r < sizeof ps_rules / sizeof ps_rules[0]; r++) {
        lint_regex *re = lint_regex_needing(ps_rules[r].pattern, true, ps_rules[r].needles,
                                            LINT_NEEDLES_CASELESS | ps_rules[r].flags);
        for (size_t from = 0;
             lint_regex_group(re, &ctx->lits, ctx->code, ctx->len, from, 1, &ms, &me, &gs, &ge);
             from = me > ms ? me : ms + 1) {
            if (ctx->lex.kind[gs] != SHLEX_CODE)
                continue;
            rule_report(ctx, ps_rules[r].rule, gs, ge, "%s", ps_rules[r].message);
        }
    }
    /* rm -r on a parameter path: Remove-Item -Recurse {{ path }}. */
    /* Only a match holding "-Recurse" (as written) is reported below. */
    static const char *const rm_needles[] = {"-Recurse", NULL};
    lint_regex *rm = lint_regex_needing("\\b(?:Remove-Item|rm|del|rd|rmdir|ri)\\b[^\\n;|]*-Recurse[^\\n;|]*|"
                                        "\\b(?:Remove-Item|rm|del|rd|rmdir|ri)\\b[^\\n;|]*",
                                        true, rm_needles, 0);
    for (size_t from = 0; lint_regex_group(rm, &ctx->lits, ctx->code, ctx->len, from, 0, &ms, &me, &gs, &ge);
         from = me > ms ? me : ms + 1) {
        if (ctx->lex.kind[ms] != SHLEX_CODE || !strstr(ctx->code + ms, "-Recurse") ||
            (size_t)(strstr(ctx->code + ms, "-Recurse") - ctx->code) >= me)
            continue;
        const script_ref *r = rule_ref_in(ctx, ms, me);
        if (!r || r->param->type != SSMC_NODE_MAP || rule_param_constrained(r->param))
            continue;
        rule_report(ctx, SSMC_RULE_SSM5015, r->token.start, r->token.end,
                    "Remove-Item -Recurse on a path built from parameter '%.*s': an empty or "
                    "crafted value deletes the wrong tree; constrain it with allowedPattern and "
                    "check the path before deleting",
                    (int)r->token.name_len, ctx->s + r->token.name_start);
    }
    /* Failure handling: an explicit exit, throw, or stop-on-error. */
    static const char *const handled_needles[] = {"erroractionpreference", "exit", "throw",
                                                  "-erroraction", "trap", "$lastexitcode", NULL};
    lint_regex *handled = lint_regex_needing(
        "\\$ErrorActionPreference\\s*=\\s*['\"]?Stop|\\bexit\\b|\\bthrow\\b|-ErrorAction\\s+['\"]?Stop"
        "|\\[Environment\\]::Exit|\\btrap\\b|\\$LASTEXITCODE",
        true, handled_needles, LINT_NEEDLES_CASELESS);
    if (lint_regex_group(handled, &ctx->lits, ctx->code, ctx->len, 0, 0, &ms, &me, NULL, NULL))
        return;
    size_t lines = 0, first = SIZE_MAX;
    for (size_t ls = 0; ls < ctx->len;) {
        const char *nl = memchr(ctx->code + ls, '\n', ctx->len - ls);
        size_t e = nl ? (size_t)(nl - ctx->code) : ctx->len;
        size_t i = ls;
        while (i < e && (ctx->code[i] == ' ' || ctx->code[i] == '\t' || ctx->code[i] == '\r'))
            i++;
        if (i < e && !strchr("{}", ctx->code[i])) {
            lines++;
            if (first == SIZE_MAX)
                first = i;
        }
        ls = e + 1;
    }
    if (lines < 2)
        return;
    size_t e = first;
    while (e < ctx->len && ctx->code[e] != '\n' && ctx->code[e] != '\r')
        e++;
    rule_report(ctx, SSMC_RULE_SSM5020, first, e,
                "errors in this script do not change its exit code, so the step reports "
                "Success even when commands fail: start with $ErrorActionPreference = 'Stop', "
                "or end with an explicit 'exit $code'");
}
