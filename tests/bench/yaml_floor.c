/* yaml_floor.c — the floor every YAML reader pays: a bare libyaml event
 * parse of each file, nothing built. The benchmark compares ssmc with it.
 *
 *   yaml_floor FILE...        parse each file
 *   yaml_floor -0 LIST        parse each file named in LIST (NUL-separated),
 *                             for file sets too large for one command line */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static unsigned long events;

static int parse_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 3;
    }
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev))
            break;
        int done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        events++;
        if (done)
            break;
    }
    yaml_parser_delete(&parser);
    fclose(f);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "-0") == 0) {
        FILE *list = fopen(argv[2], "rb");
        if (!list) {
            perror(argv[2]);
            return 3;
        }
        char *name = NULL;
        size_t cap = 0;
        while (getdelim(&name, &cap, '\0', list) > 0)
            if (parse_file(name))
                return 3;
        free(name);
        fclose(list);
    } else {
        for (int i = 1; i < argc; i++)
            if (parse_file(argv[i]))
                return 3;
    }
    printf("%lu events\n", events);
    return 0;
}
