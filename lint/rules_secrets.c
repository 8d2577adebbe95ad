/* rules_secrets.c — credentials written into a script: AWS keys, private
 * keys and password= literals (SSM5013), tokens of well-known services
 * (SSM5120), passwords inside URLs (SSM5121), and passwords given to
 * commands on their command line or input (SSM5122). Anyone who can read
 * the document (GetDocument, shared documents, command history) reads
 * them. Every pattern has a literal prefilter: most scripts hold none of
 * these literals, so most patterns never run. */
#include "lint.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static bool is_example(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i + 7 <= b; i++)
        if (memcmp(s + i, "EXAMPLE", 7) == 0)
            return true;
    return false;
}

/* SSM5013: AWS keys, private keys, password= literals. */
static void aws_and_passwords(rule_ctx *ctx)
{
    const char *s = ctx->s;
    size_t len = ctx->len, ms, me, gs, ge;
    /* Each pattern runs only where its literals occur (most scripts hold
     * none of them). */
    static const char *const akid_needles[] = {"AKIA", "ASIA", NULL};
    static const char *const secret_needles[] = {"secret", NULL};
    static const char *const pkey_needles[] = {"PRIVATE KEY-----", NULL};
    static const char *const pw_needles[] = {"passw", "pwd", NULL};
    static const char *const ps_needles[] = {"convertto-securestring", NULL};
    lint_regex *akid = lint_regex_needing("(?<![A-Z0-9])((?:AKIA|ASIA)[A-Z0-9]{16})(?![A-Z0-9])",
                                          false, akid_needles, LINT_STARTS_AT_NEEDLE);
    for (size_t from = 0; lint_regex_group(akid, &ctx->lits, s, len, from, 1, &ms, &me, &gs, &ge);
         from = me) {
        if (is_example(s, gs, ge))
            continue;
        rule_report(ctx, SSMC_RULE_SSM5013, gs, ge,
                    "hard-coded AWS access key id '%.4s...'; anyone who can read the document "
                    "can use it: deactivate the key and use the instance role (or read the key "
                    "from Parameter Store at run time)",
                    s + gs);
    }
    lint_regex *secret = lint_regex_needing(
        "(?i:secret)[^\\n]{0,30}?[=:\\s\"']([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])", false,
        secret_needles, LINT_NEEDLES_CASELESS | LINT_STARTS_AT_NEEDLE);
    for (size_t from = 0; lint_regex_group(secret, &ctx->lits, s, len, from, 1, &ms, &me, &gs, &ge);
         from = me) {
        bool digit = false, upper = false, lower = false;
        for (size_t i = gs; i < ge; i++) {
            digit |= isdigit((unsigned char)s[i]) != 0;
            upper |= isupper((unsigned char)s[i]) != 0;
            lower |= islower((unsigned char)s[i]) != 0;
        }
        if (!(digit && upper && lower) || is_example(s, gs, ge))
            continue;
        rule_report(ctx, SSMC_RULE_SSM5013, gs, ge,
                    "this looks like a hard-coded AWS secret access key; deactivate it and use "
                    "the instance role, or read it from Parameter Store or Secrets Manager at "
                    "run time");
    }
    lint_regex *pkey = lint_regex_needing("-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----", false,
                                          pkey_needles, LINT_LINE_LOCAL);
    for (size_t from = 0; lint_regex_group(pkey, &ctx->lits, s, len, from, 0, &ms, &me, &gs, &ge);
         from = me)
        rule_report(ctx, SSMC_RULE_SSM5013, ms, me,
                    "a private key is written into the document; store it in Parameter Store "
                    "(SecureString) or Secrets Manager and fetch it at run time");
    lint_regex *pw = lint_regex_needing(
        "(?<![A-Za-z0-9])(?:[A-Za-z0-9]+_)*(?i:password|passwd|pwd)(?![A-Za-z0-9_])[ \\t]*[=:][ \\t]*"
        "([\"']?)([^\\s\"'$%{}<>;|&`()\\\\,]{4,})\\1(?![^\\s;|&)])",
        false, pw_needles, LINT_NEEDLES_CASELESS | LINT_LINE_LOCAL);
    static const char *const not_secret[] = {"true", "false", "null", "none", "yes", "no",
                                             "required", "optional", "empty", NULL};
    for (size_t from = 0; lint_regex_group(pw, &ctx->lits, s, len, from, 2, &ms, &me, &gs, &ge); from = me) {
        bool skip = s[gs] == '-' || s[gs] == '*';
        for (size_t k = 0; !skip && not_secret[k]; k++)
            skip = ge - gs == strlen(not_secret[k]) &&
                   strncasecmp(s + gs, not_secret[k], ge - gs) == 0;
        if (skip)
            continue;
        rule_report(ctx, SSMC_RULE_SSM5013, gs, ge,
                    "hard-coded password; read it at run time instead (aws ssm get-parameter "
                    "--with-decryption, or Secrets Manager)");
    }
    lint_regex *ps = lint_regex_needing(
        "(?i)ConvertTo-SecureString\\s+(?:-String\\s+)?([\"'])([^\"'$]+)\\1\\s+-AsPlainText", false,
        ps_needles, LINT_NEEDLES_CASELESS | LINT_STARTS_AT_NEEDLE);
    if (ctx->sc->lang == SCRIPT_POWERSHELL)
        for (size_t from = 0; lint_regex_group(ps, &ctx->lits, s, len, from, 2, &ms, &me, &gs, &ge);
             from = me) {
            rule_report(ctx, SSMC_RULE_SSM5013, gs, ge,
                        "hard-coded password passed to ConvertTo-SecureString; read it at run "
                        "time (Get-SSMParameter -WithDecryption)");
        }
}

/* A value that is read at run time or only stands for one: a variable,
 * command substitution, {{ parameter }} or {{ssm-secure:...}} reference,
 * %VAR%, a <placeholder>, or one character repeated (xxxx, ****). */
static bool literal_secret(const char *s, size_t a, size_t b)
{
    if (b - a < 3 || strcspn(s + a, "$`{}%<>") < b - a)
        return false;
    for (size_t i = a + 1; i < b; i++)
        if (s[i] != s[a])
            return !is_example(s, a, b);
    return false;
}

/* [a, b) without the quotes around it (or the one opening it). */
static void unquote(const char *s, size_t *a, size_t *b)
{
    if (*b > *a && (s[*a] == '"' || s[*a] == '\'')) {
        char q = s[(*a)++];
        if (*b > *a && s[*b - 1] == q)
            (*b)--;
    }
}

/* SSM5120: tokens whose prefix names the service that issued them. The
 * formats are the issuers' own: GitHub's token prefixes (ghp_ personal,
 * gho_ OAuth, ghu_ user-to-server, ghs_ server-to-server, ghr_ refresh,
 * github_pat_ fine-grained), Slack's xox?- tokens, Stripe's live secret
 * and restricted keys, and JWTs (base64url of a JSON header and payload,
 * both starting '{"', i.e. "eyJ"). */
static const char *const gh_needles[] = {"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_",
                                         NULL};
static const char *const slack_needles[] = {"xox", NULL};
static const char *const stripe_needles[] = {"sk_live_", "rk_live_", NULL};
static const char *const jwt_needles[] = {"eyJ", NULL};
static const struct {
    const char *pattern;
    const char *const *needles;
    const char *what;
    int show;   /* how much of it the message shows: the prefix */
} token_kinds[] = {
    {"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,244})"
     "(?![A-Za-z0-9_])",
     gh_needles, "GitHub token", 4},
    {"(?<![A-Za-z0-9_])xox[abposr]-[0-9]+-[A-Za-z0-9-]{8,250}", slack_needles, "Slack token", 5},
    {"(?<![A-Za-z0-9_])[sr]k_live_[0-9A-Za-z]{16,247}", stripe_needles, "Stripe live API key", 8},
    {"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,}",
     jwt_needles, "JSON Web Token", 3},
};
enum { TOKEN_KINDS = sizeof token_kinds / sizeof token_kinds[0] };

/* The next token of kind k in s[from..len), skipping AWS's EXAMPLE values. */
static bool next_token(const lint_lits *lits, const char *s, size_t len, size_t from, size_t k,
                       size_t *ms, size_t *me)
{
    lint_regex *re = lint_regex_needing(token_kinds[k].pattern, false, token_kinds[k].needles,
                                        LINT_STARTS_AT_NEEDLE);
    for (; lint_regex_find(re, lits, s, len, from, ms, me); from = *me)
        if (!is_example(s, *ms, *me))
            return true;
    return false;
}

static void tokens(rule_ctx *ctx)
{
    const char *s = ctx->s;
    size_t ms, me;
    for (size_t k = 0; k < TOKEN_KINDS; k++)
        for (size_t from = 0; next_token(&ctx->lits, s, ctx->len, from, k, &ms, &me); from = me) {
            int show = ms + 11 <= me && memcmp(s + ms, "github_pat_", 11) == 0 ? 11
                                                                               : token_kinds[k].show;
            rule_report(ctx, SSMC_RULE_SSM5120, ms, me,
                        "hard-coded %s '%.*s...'; anyone who can read the document can use it: "
                        "revoke it, store the new one in Parameter Store (SecureString) or "
                        "Secrets Manager and read it at run time",
                        token_kinds[k].what, show, s + ms);
        }
}

/* True when s[a..b) holds a token SSM5120 reports already. */
static bool holds_token(const lint_lits *lits, const char *s, size_t a, size_t b)
{
    size_t ms, me;
    for (size_t k = 0; k < TOKEN_KINDS; k++)
        if (next_token(lits, s, b, a, k, &ms, &me))
            return true;
    return false;
}

/* SSM5121: scheme://user:password@host. */
static void url_credentials(rule_ctx *ctx)
{
    static const char *const needles[] = {"://", NULL};
    lint_regex *re = lint_regex_needing(
        "(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{1,15})://[^\\s/:@'\"]+:([^\\s/@'\"]+)@"
        "(?=[A-Za-z0-9\\[{])",
        false, needles, LINT_LINE_LOCAL);
    size_t ms, me, gs, ge;
    for (size_t from = 0; lint_regex_group(re, &ctx->lits, ctx->s, ctx->len, from, 2, &ms, &me, &gs, &ge);
         from = me) {
        if (!literal_secret(ctx->s, gs, ge) || holds_token(&ctx->lits, ctx->s, gs, ge))
            continue;
        rule_report(ctx, SSMC_RULE_SSM5121, gs, ge,
                    "the URL carries a password ('%.*s://USER:...@'); anyone who can read the "
                    "document reads it: keep it in Parameter Store (SecureString) or Secrets "
                    "Manager and build the URL at run time (or use a credential helper)",
                    (int)(strstr(ctx->s + ms, "://") - (ctx->s + ms)), ctx->s + ms);
    }
}

/* SSM5122: a literal password given to a command: on its command line
 * (mysql -pSECRET, curl -u user:SECRET), in PGPASSWORD, or piped into
 * chpasswd / passwd --stdin. */
static void password_arguments(rule_ctx *ctx)
{
    static const char *const mysql_needles[] = {"mysql", "mariadb", NULL};
    static const char *const curl_needles[] = {"curl", NULL};
    static const char *const pg_needles[] = {"PGPASSWORD", NULL};
    static const char *const chpasswd_needles[] = {"passwd", NULL};
    static const struct {
        const char *pattern;
        const char *const *needles;
        unsigned flags;
        bool code;          /* matched on the code view (comments blanked) */
        const char *message;
    } kinds[] = {
        {"(?<![A-Za-z0-9_.-])(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlshow|"
         "mariadb|mariadb-dump|mariadb-admin)[ \\t]+(?:[^\\n;&|]*?[ \\t])?-p([^\\s;&|]+)",
         mysql_needles, LINT_LINE_LOCAL, true,
         "hard-coded database password after -p; read it at run time, e.g. "
         "-p\"$(aws ssm get-parameter --name /db/pass --with-decryption --query "
         "Parameter.Value --output text)\", or keep it in an option file "
         "(--defaults-extra-file)"},
        {"(?<![A-Za-z0-9_.-])curl(?:\\.exe)?[ \\t]+(?:[^\\n;&|]*?[ \\t])?"
         "(?:-u[ \\t]*|--user(?:[ \\t]+|=))([^\\s;&|]+)",
         curl_needles, LINT_LINE_LOCAL, true,
         "hard-coded password in curl -u USER:PASSWORD; read it at run time (aws ssm "
         "get-parameter --with-decryption) into a variable, or use a .netrc file that is "
         "not part of the document"},
        {"(?<![A-Za-z0-9_])PGPASSWORD['\"]?[ \\t]*[=:][ \\t]*([^\\s;&|]+)", pg_needles,
         LINT_STARTS_AT_NEEDLE, false,
         "PGPASSWORD is set to a literal password; read it at run time "
         "(PGPASSWORD=\"$(aws ssm get-parameter --name /db/pass --with-decryption --query "
         "Parameter.Value --output text)\") or use a ~/.pgpass file that is not part of the "
         "document"},
        {"(?<![A-Za-z0-9_.-])(?:echo|printf)[ \\t]+(?:-[a-zA-Z]+[ \\t]+)*([^\\s;&|]+)[ \\t]*\\|"
         "[ \\t]*(?:sudo[ \\t]+)?(?:chpasswd|passwd[ \\t]+--stdin)(?![A-Za-z0-9_-])",
         chpasswd_needles, LINT_LINE_LOCAL, true,
          NULL /* message below: it names the command */},
    };
    size_t ms, me, gs, ge;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        const char *text = kinds[k].code ? ctx->code : ctx->s;
        lint_regex *re = lint_regex_needing(kinds[k].pattern, false, kinds[k].needles,
                                            kinds[k].flags);
        for (size_t from = 0; lint_regex_group(re, &ctx->lits, text, ctx->len, from, 1, &ms, &me, &gs, &ge);
             from = me) {
            unquote(ctx->s, &gs, &ge);
            bool chpasswd = k == 3 && lint_contains(text + ms, me - ms, "chpasswd");
            if (k == 1 || chpasswd) {
                /* USER:PASSWORD: only the password is secret. */
                const char *colon = memchr(ctx->s + gs, ':', ge - gs);
                if (!colon)
                    continue;
                gs = (size_t)(colon - ctx->s) + 1;
            }
            if (!literal_secret(ctx->s, gs, ge))
                continue;
            if (kinds[k].message)
                rule_report(ctx, SSMC_RULE_SSM5122, gs, ge, "%s", kinds[k].message);
            else
                rule_report(ctx, SSMC_RULE_SSM5122, gs, ge,
                            "a literal password is piped into %s; read it at run time (aws ssm "
                            "get-parameter --with-decryption) into a variable and pipe that",
                            chpasswd ? "chpasswd" : "passwd --stdin");
        }
    }
}

void rules_secrets(rule_ctx *ctx)
{
    aws_and_passwords(ctx);
    tokens(ctx);
    url_credentials(ctx);
    password_arguments(ctx);
}
