/* yaml_floor.c — the floor every YAML reader pays: a bare libyaml event
 * parse of each file, nothing built. The benchmark compares ssmc with it. */
#include <stdio.h>
#include <stdlib.h>
#include <yaml.h>

int main(int argc, char **argv)
{
    unsigned long events = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
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
    }
    printf("%lu events\n", events);
    return 0;
}
