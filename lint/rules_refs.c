/* rules_refs.c — a document parameter written the way another tool spells
 * a variable: `${{ Name }}` (GitHub Actions) and, in shell, `$Name`. The
 * agent substitutes only {{ Name }} (parameters.go); a `$` before the token
 * makes the pasted value a variable name, and `$Name` is a shell variable
 * nobody sets. An ENV_VAR parameter is read as $SSM_Name (spec 2.7), so
 * its name is left alone. */
#include "lint.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool env_var_param(const ssmc_node *def)
{
    const char *it = lint_map_str(def, "interpolationType");
    return it && strcmp(it, "ENV_VAR") == 0;
}

static bool word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* A parameter whose every value names a PowerShell automatic variable
 * ($true, $false, $null): `${{ Enable }}` is then the way to write a
 * boolean, as AWS's ConfigureAgentLogsUploadToCloudwatch does. */
static bool powershell_constant(const ssmc_node *def)
{
    const char *type = lint_map_str(def, "type");
    if (type && strcmp(type, "Boolean") == 0)
        return true;
    const ssmc_node *av = ssmc_map_get(def, "allowedValues");
    if (!av || av->type != SSMC_NODE_SEQ || av->count == 0)
        return false;
    for (size_t i = 0; i < av->count; i++) {
        const ssmc_node *v = av->items[i];
        const char *t = v->type == SSMC_NODE_BOOL || v->type == SSMC_NODE_STRING ? v->str : NULL;
        if (!t || (strcasecmp(t, "true") != 0 && strcasecmp(t, "false") != 0 &&
                   strcasecmp(t, "null") != 0))
            return false;
    }
    return true;
}

/* `${{ Name }}`: the value lands after a `$`, so in shell or PowerShell it
 * is read as a variable name. Dropping the `$` is the certain fix. */
static void dollar_tokens(rule_ctx *ctx)
{
    const lint_script *sc = ctx->sc;
    for (size_t i = 0; i < sc->ref_count; i++) {
        const script_ref *r = &sc->refs[i];
        size_t at = r->token.start;
        if (r->token.kind != REF_PARAM || !r->param || env_var_param(r->param) || at == 0 ||
            ctx->s[at - 1] != '$' || (at >= 2 && (ctx->s[at - 2] == '\\' || ctx->s[at - 2] == '$')))
            continue;
        if (sc->lang == SCRIPT_POWERSHELL && powershell_constant(r->param))
            continue;
        unsigned char kind = ctx->lex.kind[at - 1];
        if (kind != SHLEX_CODE && kind != SHLEX_DQUOTE)
            continue;
        int nl = (int)r->token.name_len;
        const char *name = ctx->s + r->token.name_start;
        ssmc_diag *d = rule_report(ctx, SSMC_RULE_SSM5101, at - 1, r->token.end,
                                   "'$' before '{{ %.*s }}' turns the parameter's value into a "
                                   "variable name once the agent pastes it; did you mean "
                                   "'{{ %.*s }}'?",
                                   nl, name, nl, name);
        /* `${{` becomes `{{`; not at the start of an item, where YAML
         * would read the `{` as a flow mapping. */
        if (d && at >= 2 && ctx->s[at - 2] != '\n')
            rule_fix_verbatim(ctx, d, at - 1, at + 2, "{{");
    }
}

/* Names the environment of the agent's shell gives (or the shell sets). */
static const char *const shell_env[] = {
    "PATH", "HOME", "USER", "HOSTNAME", "PWD", "OLDPWD", "SHELL", "LANG", "TERM", "LOGNAME",
    "UID", "EUID", "PPID", "RANDOM", "SECONDS", "LINENO", "IFS", "BASH", "HOSTTYPE", "OSTYPE",
    "MACHTYPE", "TMPDIR", "MAIL", "REPLY", "OPTARG", "OPTIND", NULL};

static bool has_word(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(s + i, word, n) == 0 && (i == 0 || !word_char(s[i - 1])) &&
            (i + n == len || !word_char(s[i + n])))
            return true;
    return false;
}

/* The script sets the variable itself: NAME=, NAME+=, NAME[...]=, or a
 * command that assigns its operands (read, for, export, local, ...). A
 * script that sources a file or evals text may set anything. */
static bool script_sets(const rule_ctx *ctx, const char *name, size_t nlen)
{
    static const char *const setters[] = {"read",    "for",      "getopts", "local", "declare",
                                          "typeset", "export",   "readonly", "select", "mapfile",
                                          "readarray", "source", "eval", NULL};
    const char *code = ctx->code;
    size_t len = ctx->len;
    /* A setter anywhere on the name's line counts (`read -r Name`, or
     * `for Name in ...; do`): each line is looked at once. */
    size_t checked_line = SIZE_MAX, ls = 0;
    for (size_t i = 0; i + nlen <= len; i++) {
        if (i > 0 && code[i - 1] == '\n')
            ls = i;
        if (memcmp(code + i, name, nlen) != 0 || (i > 0 && word_char(code[i - 1])) ||
            (i + nlen < len && word_char(code[i + nlen])))
            continue;
        if (i > 0 && (code[i - 1] == '$' || (code[i - 1] == '{' && i > 1 && code[i - 2] == '$')))
            continue;
        size_t j = i + nlen;
        if (j < len && (code[j] == '=' || code[j] == '[' ||
                        (code[j] == '+' && j + 1 < len && code[j + 1] == '=')))
            return true;
        if (ls == checked_line)
            continue;
        checked_line = ls;
        size_t le = i;
        while (le < len && code[le] != '\n')
            le++;
        for (size_t k = 0; setters[k]; k++)
            if (has_word(code + ls, le - ls, setters[k]))
                return true;
    }
    for (size_t i = 0; i < len; i++) {
        /* `. file` at the start of a command */
        size_t cs = i;
        while (i < len && (code[i] == ' ' || code[i] == '\t'))
            i++;
        if (i + 1 < len && code[i] == '.' && (code[i + 1] == ' ' || code[i + 1] == '\t') &&
            (cs == 0 || code[cs - 1] == '\n' || code[cs - 1] == ';'))
            return true;
        while (i < len && code[i] != '\n' && code[i] != ';')
            i++;
    }
    return has_word(code, len, "source") || has_word(code, len, "eval");
}

/* `$Name` / `${Name}` in shell code or double quotes where Name is a
 * parameter and the script never sets a variable of that name. */
static void dollar_names(rule_ctx *ctx)
{
    const lint_script *sc = ctx->sc;
    if (!sc->params || sc->params->type != SSMC_NODE_MAP || sc->params->count == 0 ||
        !memchr(ctx->code, '$', ctx->len))
        return;
    /* What script_sets said per parameter: it scans the whole script, so
     * a script of many $Name must not pay that once per occurrence. */
    const ssmc_node **seen = NULL;
    bool *seen_sets = NULL;
    size_t nseen = 0, cap = 0;
    for (size_t i = 0; i + 1 < ctx->len; i++) {
        const char *dollar = memchr(ctx->code + i, '$', ctx->len - 1 - i);
        if (!dollar)
            break;
        i = (size_t)(dollar - ctx->code);
        if ((ctx->lex.kind[i] != SHLEX_CODE && ctx->lex.kind[i] != SHLEX_DQUOTE) ||
            (i > 0 && ctx->s[i - 1] == '\\'))
            continue;
        bool braced = ctx->code[i + 1] == '{';
        size_t ns = i + 1 + braced, ne = ns;
        while (ne < ctx->len && word_char(ctx->code[ne]))
            ne++;
        if (ne == ns || (ctx->code[ns] >= '0' && ctx->code[ns] <= '9'))
            continue;
        /* ${Name:-default} and the like say the author expects it unset. */
        if (braced && (ne >= ctx->len || ctx->code[ne] != '}'))
            continue;
        size_t end = ne + braced;
        const char *name = ctx->code + ns;
        size_t nlen = ne - ns;
        const ssmc_node *def = script_param_def(sc->params, name, nlen);
        if (!def || env_var_param(def))
            continue;
        bool env = false;
        for (size_t k = 0; shell_env[k] && !env; k++)
            env = strlen(shell_env[k]) == nlen && memcmp(shell_env[k], name, nlen) == 0;
        if (env)
            continue;
        size_t k = 0;
        while (k < nseen && seen[k] != def)
            k++;
        if (k == nseen) {
            if (nseen == cap) {
                GROW(seen, cap, nseen + 1);
                seen_sets = xrealloc(seen_sets, cap * sizeof *seen_sets);
            }
            seen[nseen] = def;
            seen_sets[nseen++] = script_sets(ctx, name, nlen);
        }
        if (seen_sets[k])
            continue;
        /* ENV_VAR is a Command document property (schema 2.2). */
        const char *schema = lint_map_str(sc->root, "schemaVersion");
        bool command = !schema || strcmp(schema, "0.3") != 0;
        rule_report(ctx, SSMC_RULE_SSM5101, i, end,
                    "'%.*s' is a shell variable the script never sets, but '%.*s' is a document "
                    "parameter; did you mean '{{ %.*s }}'?%s%.*s%s",
                    (int)(end - i), ctx->code + i, (int)nlen, name, (int)nlen, name,
                    command ? " (or declare it with 'interpolationType: ENV_VAR' and read \"$SSM_"
                            : "",
                    command ? (int)nlen : 0, name, command ? "\")" : "");
        i = end - 1;
    }
    free(seen);
    free(seen_sets);
}

void rules_dollar_refs(rule_ctx *ctx)
{
    dollar_tokens(ctx);
    if (ctx->sc->lang == SCRIPT_SHELL)
        dollar_names(ctx);
}
