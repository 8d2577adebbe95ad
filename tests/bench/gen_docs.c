/* gen_docs.c — writes realistic Command documents for the benchmark.
 *
 *   gen_docs many DIR N           N small documents (YAML and JSON mixed)
 *   gen_docs big FILE MEGABYTES   one document of about that size (YAML or
 *                                 JSON by FILE's extension)
 *
 * The documents look like the ones fleets run: parameters with patterns, a
 * few script steps of realistic shell, preconditions. Output is
 * deterministic so figures are comparable between runs. Every script
 * differs (its last line names its step), so none is a copy of another:
 * the figures measure the rules, not their replay (lint/memo.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const commands[] = {
    "set -eu",
    "if command -v dnf >/dev/null 2>&1; then dnf install -y httpd; fi",
    "systemctl enable --now httpd",
    "curl --fail --silent --show-error https://example.com/health -o /tmp/health.txt",
    "echo \\\"deployed $(date -u +%Y-%m-%dT%H:%M:%SZ)\\\" >> /var/log/deploy.log",
    "find /var/log/app -name '*.gz' -mtime +14 -delete",
    "test -f /etc/app/config.yaml && cp /etc/app/config.yaml /etc/app/config.yaml.bak",
    "for f in /opt/app/conf.d/*.conf; do echo \\\"checking $f\\\"; done",
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void yaml_step(FILE *f, unsigned i, unsigned lines)
{
    fprintf(f, "  - action: aws:runShellScript\n    name: step%u\n", i);
    fprintf(f, "    precondition:\n      StringEquals: [platformType, Linux]\n");
    fprintf(f, "    inputs:\n      timeoutSeconds: '600'\n      runCommand:\n");
    for (unsigned l = 0; l < lines; l++)
        fprintf(f, "        - \"%s\"\n", commands[(i + l) % NCOMMANDS]);
    fprintf(f, "        - echo \"step %u {{ message }}\"\n", i);
}

static void json_step(FILE *f, unsigned i, unsigned lines, int last)
{
    fprintf(f, "    {\n      \"action\": \"aws:runShellScript\",\n      \"name\": \"step%u\",\n", i);
    fprintf(f, "      \"precondition\": {\"StringEquals\": [\"platformType\", \"Linux\"]},\n");
    fprintf(f, "      \"inputs\": {\n        \"timeoutSeconds\": \"600\",\n        \"runCommand\": [\n");
    for (unsigned l = 0; l < lines; l++)
        fprintf(f, "          \"%s\",\n", commands[(i + l) % NCOMMANDS]);
    fprintf(f, "          \"echo \\\"step %u {{ message }}\\\"\"\n        ]\n      }\n    }%s\n", i,
            last ? "" : ",");
}

static void yaml_head(FILE *f)
{
    fputs("schemaVersion: '2.2'\n"
          "description: Deploys the application and checks its health.\n"
          "parameters:\n"
          "  message:\n"
          "    type: String\n"
          "    description: (Optional) A note written to the log.\n"
          "    default: deployed\n"
          "    allowedPattern: ^[A-Za-z0-9 ._-]{0,64}$\n"
          "mainSteps:\n", f);
}

static void json_head(FILE *f)
{
    fputs("{\n  \"schemaVersion\": \"2.2\",\n"
          "  \"description\": \"Deploys the application and checks its health.\",\n"
          "  \"parameters\": {\n    \"message\": {\n      \"type\": \"String\",\n"
          "      \"description\": \"(Optional) A note written to the log.\",\n"
          "      \"default\": \"deployed\",\n"
          "      \"allowedPattern\": \"^[A-Za-z0-9 ._-]{0,64}$\"\n    }\n  },\n"
          "  \"mainSteps\": [\n", f);
}

static int is_json(const char *path)
{
    size_t n = strlen(path);
    return n > 5 && strcmp(path + n - 5, ".json") == 0;
}

static int write_doc(const char *path, unsigned steps, unsigned lines)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "gen_docs: %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (is_json(path)) {
        json_head(f);
        for (unsigned i = 0; i < steps; i++)
            json_step(f, i, lines, i + 1 == steps);
        fputs("  ]\n}\n", f);
    } else {
        yaml_head(f);
        for (unsigned i = 0; i < steps; i++)
            yaml_step(f, i, lines);
    }
    return fclose(f) != 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "many") == 0) {
        unsigned n = (unsigned)strtoul(argv[3], NULL, 10);
        char path[4096];
        for (unsigned i = 0; i < n; i++) {
            snprintf(path, sizeof path, "%s/doc%05u.%s", argv[2], i, i % 4 == 3 ? "json" : "yaml");
            if (write_doc(path, 2 + i % 4, 3 + i % 5))
                return 1;
        }
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "big") == 0) {
        double mb = strtod(argv[3], NULL);
        /* Bytes per step of 6 lines, measured: about 600 in YAML, 685 in JSON. */
        unsigned steps = (unsigned)(mb * 1024 * 1024 / (is_json(argv[2]) ? 685 : 600));
        return write_doc(argv[2], steps ? steps : 1, 6);
    }
    fprintf(stderr, "usage: gen_docs many DIR N | gen_docs big FILE MEGABYTES\n");
    return 2;
}
