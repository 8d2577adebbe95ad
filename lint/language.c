/* language.c — a script written in the other language: PowerShell in a
 * step that runs sh (aws:runShellScript, AWS-RunShellScript) or shell in
 * one that runs PowerShell. Every line then fails, and ShellCheck would
 * bury the one useful message under a finding per line; so one warning at
 * the first telling line, and ShellCheck is not run on that script.
 *
 * Evidence is counted per line, from the code view (comments, heredoc
 * bodies and quoted text do not count): a line that only one language can
 * mean scores 2 (`Get-Service`, `Write-Host`; `if [ -f x ]; then`,
 * `export X=1`), a line that is likely but not certain scores 1
 * (`$x = 1`, a Verb-Noun word, `$env:X`; `yum install`, `fi`, a shell
 * shebang), and
 * a script needs 2 in all. Scripts that hand text to the other language
 * (`pwsh -c ...`, `bash -c ...`) are left alone. */
#include "lint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct telling {
    const char *pattern;   /* group 1 is the telling word */
    bool caseless;
    int points;
    int category;          /* a category scores at most once (0: every line) */
    /* What a line needs before the pattern is tried on it (every pattern
     * matches within one line): its first non-blank byte among these
     * (NULL: any), a byte it contains (0: none), a '-' in its first word. */
    const char *first;
    char contains;
    bool first_word_dash;
} telling;

/* PowerShell where sh runs the script. */
static const telling powershell_signs[] = {
    {"^[ \t]*((?:Write-Host|Write-Output|Write-Error|Get-Service|Set-Service|Get-ItemProperty|"
     "Set-ItemProperty|New-ItemProperty|Get-ChildItem|Get-Content|Set-Content|Add-Content|"
     "New-Item|Remove-Item|Copy-Item|Move-Item|Test-Path|Start-Service|Stop-Service|"
     "Restart-Service|Invoke-WebRequest|Invoke-RestMethod|Invoke-Expression|Get-Process|"
     "Stop-Process|Start-Process|Import-Module|Get-WmiObject|Get-CimInstance|Out-File|"
     "Set-ExecutionPolicy|New-Object|Expand-Archive|Set-Location|Get-Date)\\b)",
     true, 2, 0, NULL, 0, true},
    {"^[ \t]*((?:Get|Set|New|Remove|Write|Invoke|Start|Stop|Restart|Install|Uninstall|Import|"
     "Export|Add|Test|Out|Copy|Move|Rename|Expand|Compress|Select|Enable|Disable|Register|"
     "Unregister|Update|Resolve|ConvertTo|ConvertFrom|Clear|Wait|Read|Format|Measure|Join|"
     "Split|Mount|Dismount)-[A-Z][A-Za-z]+)\\b",
     false, 1, 0, NULL, 0, true},
    {"\\|[ \t]*((?:Out-Null|Out-File|Select-Object|Where-Object|ForEach-Object|Format-Table|"
     "Sort-Object|ConvertTo-Json|ConvertFrom-Json))\\b",
     true, 1, 0, NULL, '|', false},
    {"^[ \t]*(?:\\[[A-Za-z][A-Za-z0-9.]*\\][ \t]*)?(\\$[A-Za-z_][A-Za-z0-9_]*)[ \t]*[-+]?=[^=~]",
     false, 1, 0, "$[", '=', false},
    {"(\\$env:[A-Za-z_][A-Za-z0-9_]*)", true, 1, 1, NULL, '$', false},
};

/* Shell where PowerShell runs the script. */
static const telling shell_signs[] = {
    {"^[ \t]*((?:if|elif|while|until)[ \t]+\\[\\[?)[ \t]", false, 2, 0, "iewu", '[', false},
    {"^[ \t]*(export[ \t]+[A-Za-z_][A-Za-z0-9_]*)=", false, 2, 0, "e", '=', false},
    {"^[ \t]*(fi|done|esac|then)[ \t]*(?:;|$)", false, 1, 1, "fdet", 0, false},
    {";[ \t]*(then|do)[ \t]*$", false, 1, 1, NULL, ';', false},
    {"^[ \t]*((?:sudo|yum|apt-get|dnf|zypper|systemctl|chmod|chown))[ \t]", false, 1, 2, "syadzc", 0, false},
};

/* One telling line: where, and what it scores. */
typedef struct sign {
    size_t line, word_start, word_end;
    int points;
} sign;

/* Words that mean the script runs the other language on purpose (in
 * code: a shebang is a comment to PowerShell, not a hand-over). */
static bool hands_over(const rule_ctx *ctx, bool to_powershell)
{
    static const char *const pwsh[] = {"pwsh", "powershell", "powershell.exe", NULL};
    static const char *const sh[] = {"bash", "sh", "wsl", "zsh", "bash.exe", "wsl.exe", NULL};
    /* Prepared once per process. */
    static lint_needle prepared[2][6];
    static bool ready;
    if (!ready) {
        for (size_t k = 0; pwsh[k]; k++)
            lint_needle_init(&prepared[0][k], pwsh[k], strlen(pwsh[k]), true);
        for (size_t k = 0; sh[k]; k++)
            lint_needle_init(&prepared[1][k], sh[k], strlen(sh[k]), true);
        ready = true;
    }
    const char *const *words = to_powershell ? pwsh : sh;
    for (size_t k = 0; words[k]; k++) {
        const lint_needle *nd = &prepared[to_powershell ? 0 : 1][k];
        size_t n = nd->n;
        if (!lint_lits_may_hold(&ctx->lits, nd))
            continue;
        for (size_t i = lint_lits_find(&ctx->lits, nd, ctx->code, ctx->len, 0); i != SIZE_MAX;
             i = lint_lits_find(&ctx->lits, nd, ctx->code, ctx->len, i + 1)) {
            char before = i ? ctx->code[i - 1] : ' ',
                 after = i + n < ctx->len ? ctx->code[i + n] : ' ';
            bool left = !((before >= 'a' && before <= 'z') || (before >= 'A' && before <= 'Z') ||
                          before == '-' || before == '_' || before == '.');
            bool right = !((after >= 'a' && after <= 'z') || (after >= 'A' && after <= 'Z') ||
                           after == '-' || after == '_' || (after == '.' && n > 4));
            if (left && right)
                return true;
        }
    }
    return false;
}

typedef struct code_line {
    size_t start, first, eol;   /* first: its first byte not a blank */
} code_line;

typedef struct code_lines {
    code_line *items;
    size_t count;
} code_lines;

static void lines_of(const char *s, size_t len, code_lines *out)
{
    /* Grown as it goes: counting the lines first was a memchr per line. */
    size_t cap = 16;
    out->items = xmalloc(cap * sizeof *out->items);
    out->count = 0;
    for (size_t i = 0; i <= len;) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t eol = nl ? (size_t)(nl - s) : len;
        size_t first = i;
        while (first < eol && (s[first] == ' ' || s[first] == '\t'))
            first++;
        if (out->count == cap) {
            cap *= 2;
            out->items = xrealloc(out->items, cap * sizeof *out->items);
        }
        out->items[out->count++] = (code_line){i, first, eol};
        if (!nl)
            break;
        i = eol + 1;
    }
}

static bool line_may_match(const char *s, const code_line *ln, const telling *t)
{
    if (ln->first >= ln->eol)
        return false;
    if (t->first && (!s[ln->first] || !strchr(t->first, s[ln->first])))
        return false;
    /* (t->contains: the caller visits only the lines holding it.) */
    if (t->first_word_dash) {
        size_t e = ln->first;
        while (e < ln->eol && s[e] != ' ' && s[e] != '\t' && s[e] != '-')
            e++;
        if (e >= ln->eol || s[e] != '-')
            return false;
    }
    return true;
}

static void add_sign(sign *signs, size_t *n, size_t cap, size_t line, size_t a, size_t b, int points)
{
    for (size_t i = 0; i < *n; i++) {
        if (signs[i].line == line) {
            if (points > signs[i].points)
                signs[i] = (sign){line, a, b, points};
            return;
        }
    }
    if (*n < cap)
        signs[(*n)++] = (sign){line, a, b, points};
}

#define MAX_SIGNS 64

/* Is the script the Script of an aws:executeScript step (found by its step
 * name among the runbook's steps, aws:loop's included)? */
static bool step_is_execute_script(const ssmc_node *steps, const char *name, int depth)
{
    if (!steps || steps->type != SSMC_NODE_SEQ || depth > 8)
        return false;
    for (size_t i = 0; i < steps->count; i++) {
        const ssmc_node *step = steps->items[i];
        const char *action = lint_map_str(step, "action");
        const char *step_name = lint_map_str(step, "name");
        if (action && step_name && strcmp(step_name, name) == 0)
            return strcmp(action, "aws:executeScript") == 0;
        const ssmc_node *inputs = step->type == SSMC_NODE_MAP ? ssmc_map_get(step, "inputs") : NULL;
        if (action && strcmp(action, "aws:loop") == 0 && inputs && inputs->type == SSMC_NODE_MAP &&
            step_is_execute_script(ssmc_map_get(inputs, "Steps"), name, depth + 1))
            return true;
    }
    return false;
}

bool script_in_execute_script(const lint_script *sc)
{
    return sc->root && sc->step &&
           step_is_execute_script(ssmc_map_get(sc->root, "mainSteps"), sc->step, 0);
}

bool rules_wrong_language(rule_ctx *ctx)
{
    const lint_script *sc = ctx->sc;
    bool ps = sc->lang == SCRIPT_POWERSHELL;
    if (sc->lang == SCRIPT_PYTHON || hands_over(ctx, !ps))
        return false;
    const telling *signs_of = ps ? shell_signs : powershell_signs;
    size_t nsigns = ps ? sizeof shell_signs / sizeof *shell_signs
                       : sizeof powershell_signs / sizeof *powershell_signs;
    sign found[MAX_SIGNS];
    size_t nfound = 0;
    /* `X=1` is left out: a hashtable or an attribute spread over lines
     * (`Name='x'`, `ParameterSetName=...`) is PowerShell too. */
    bool category_seen[3] = {false, false, false};
    /* A shebang naming a shell is a comment to PowerShell, so it is read
     * from the text, not the code view. */
    if (ps && ctx->len > 2 && ctx->s[0] == '#' && ctx->s[1] == '!') {
        size_t eol = 0;
        while (eol < ctx->len && ctx->s[eol] != '\n')
            eol++;
        lint_regex *re = lint_regex_get("^#![ \t]*/(?:usr/)?bin/(?:env[ \t]+)?(?:ba|da|z|k)?sh\\b", false);
        size_t ms, me;
        if (re && lint_regex_find(re, &ctx->lits, ctx->s, eol, 0, &ms, &me))
            add_sign(found, &nfound, MAX_SIGNS, 0, 0, eol, 1);
    }
    /* Each pattern is tried only on the lines that can hold a match, as
     * most lines of most scripts cannot (this rule runs on every script). */
    code_lines ls;
    lines_of(ctx->code, ctx->len, &ls);
    for (size_t p = 0; p < nsigns; p++) {
        const telling *t = &signs_of[p];
        lint_regex *re = lint_regex_get(t->pattern, t->caseless);
        /* A pattern that needs a byte visits the lines holding it, found
         * with one memchr per such line, not a memchr per line. (Classifying
         * each line once for all patterns cost more than these tests.) */
        const char *hit = t->contains && ctx->len ? memchr(ctx->code, t->contains, ctx->len) : NULL;
        for (size_t l = 0; re && l < ls.count; l++) {
            if (t->contains) {
                if (!hit)
                    break;
                while (ls.items[l].eol < (size_t)(hit - ctx->code))
                    l++;
                size_t next = ls.items[l].eol + 1;
                hit = next < ctx->len ? memchr(ctx->code + next, t->contains, ctx->len - next) : NULL;
            }
            const code_line *ln = &ls.items[l];
            if (!line_may_match(ctx->code, ln, t))
                continue;
            size_t end = ln->eol < ctx->len ? ln->eol + 1 : ctx->len;
            size_t from = ln->start, ms, me, gs, ge;
            while (from < end && lint_regex_group(re, &ctx->lits, ctx->code, end, from, 1, &ms, &me, &gs, &ge)) {
                from = me > ms ? me : ms + 1;
                if (ctx->lex.kind[gs] != SHLEX_CODE)
                    continue;
                if (t->category && category_seen[t->category])
                    continue;
                if (t->category)
                    category_seen[t->category] = true;
                add_sign(found, &nfound, MAX_SIGNS, ln->start, gs, ge, t->points);
            }
        }
    }
    free(ls.items);
    int total = 0;
    const sign *first = NULL;
    for (size_t i = 0; i < nfound; i++) {
        total += found[i].points;
        if (!first || found[i].line < first->line)
            first = &found[i];
    }
    if (total < 2 || !first)
        return false;
    const char *schema = lint_map_str(sc->root, "schemaVersion");
    bool automation = schema && strcmp(schema, "0.3") == 0;
    const char *use = sc->session ? (ps ? "properties.linux" : "properties.windows")
                      : automation ? (ps ? (script_in_execute_script(sc)
                                                ? "PowerShell (aws:executeScript runs no shell), or "
                                                  "aws:runCommand with DocumentName "
                                                  "AWS-RunShellScript"
                                                : "DocumentName AWS-RunShellScript")
                                         : "DocumentName AWS-RunPowerShellScript")
                                   : (ps ? "aws:runShellScript" : "aws:runPowerShellScript");
    rule_report(ctx, SSMC_RULE_SSM5102, first->word_start, first->word_end,
                "'%.*s' is %s, but this script runs with %s (%zu telling line%s), where it fails: "
                "use %s%s",
                (int)(first->word_end - first->word_start), ctx->s + first->word_start,
                ps ? "shell" : "PowerShell", ps ? "PowerShell" : "sh", nfound,
                nfound == 1 ? "" : "s", use, ps ? "" : " (ShellCheck is not run on this script)");
    return true;
}
