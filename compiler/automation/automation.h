/* automation.h — Automation runbooks (schemaVersion 0.3): what the files of
 * compiler/automation/ share. validate.c routes a document of kind
 * Automation here instead of the Command checks:
 *   automation.c   the runbook's sections, steps, actions, inputs, outputs
 *   auto_refs.c    {{ }} references, typed
 *   auto_flow.c    the step graph: targets, aws:branch, reachability,
 *                  cycles, which steps surely ran before another
 *   auto_api.c     the AWS API actions and JSONPath selectors
 * Facts: ../shared/spec/automation-session-package.md (the "spec"); where
 * the User Guide and the AWS-managed runbooks disagree, the runbooks win
 * (spec section 9). */
#ifndef SSMC_AUTOMATION_H
#define SSMC_AUTOMATION_H

#include "validate.h"
#include "grammar.h"

/* One step of the runbook, aws:loop inner steps included (flattened). */
typedef struct astep {
    const ssmc_node *node;          /* the step mapping */
    const char *name;               /* NULL when missing or not a string */
    const ssmc_node *name_node;
    const char *action_name;        /* NULL when missing */
    const grammar_action *action;   /* NULL when unknown */
    const ssmc_node *inputs;        /* MAP or NULL */
    const ssmc_node *outputs;       /* SEQ of declared outputs, or NULL */
    int parent;                     /* index of the enclosing aws:loop step, or -1 */
    int next;                       /* the next step of the same list, or -1 */
    int first_child;                /* aws:loop: its first inner step, or -1 */
    bool duplicate;                 /* a later step of the same name */
} astep;

/* A control-flow edge, for plans and the doc page (auto_flow.c). */
typedef enum aedge_kind {
    AEDGE_NEXT,       /* success: nextStep or the next step of the list */
    AEDGE_CHOICE,     /* aws:branch: choice number `choice` is true */
    AEDGE_DEFAULT,    /* aws:branch: no choice is true */
    AEDGE_FAILURE,    /* onFailure: step:X, or Continue */
    AEDGE_CANCEL,     /* onCancel: step:X */
    AEDGE_LOOP        /* aws:loop: into its first inner step */
} aedge_kind;

typedef struct aedge {
    int from, to;     /* step indexes; to is -1 for the end of the execution */
    aedge_kind kind;
    int choice;       /* AEDGE_CHOICE: index in Choices */
} aedge;

typedef struct actx {
    vctx *v;
    astep *steps;
    size_t count, cap;
    const ssmc_node *variables;     /* MAP or NULL */
    const ssmc_node *files;         /* MAP or NULL */
    /* Filled by auto_flow.c: dom[j * count + i] is true when every path from
     * the first step to j passes i (NULL when the graph was too big);
     * reachable[i] when some path from the first step reaches i. */
    unsigned char *dom;
    unsigned char *reachable;
    aedge *edges;                   /* every edge, in step order */
    size_t edge_count, edge_cap;
} actx;

/* Letters, digits and _ only, at least one: a step, output or parameter
 * name that a {{ }} reference can spell. */
bool automation_is_word(const char *s, size_t len);

/* The step called name (first of duplicates), or -1. */
int automation_step_find(const actx *a, const char *name, size_t len);
/* Closest step name for "did you mean", or NULL. */
const char *automation_step_guess(const actx *a, const char *name);
/* The value of a step field with a string form accepted (isEnd: 'true'). */
bool automation_step_bool(const astep *s, const char *field, bool fallback);

/* Whether step s declares or has built in an output called name. */
bool automation_step_output(const actx *a, const astep *s, const char *name);
void automation_flow(actx *a);
void automation_refs(actx *a);
/* A runCommand's Parameters / executeAutomation's RuntimeParameters (given)
 * against the called document's parameter definitions: a whole-value
 * reference whose type cannot fill the parameter (SSM8047). */
void automation_called_types(actx *a, const ssmc_node *given, const ssmc_node *params,
                             const char *document);

/* auto_api.c: a Selector or PropertySelector (field) as JSONPath; false
 * after reporting where it breaks. *list: whether it may select several
 * values. */
bool automation_selector(actx *a, const ssmc_node *sel, const char *field, bool *list);
/* A declared output's Selector against its Type (Type may be NULL). */
void automation_selector_type(actx *a, const ssmc_node *name, const ssmc_node *sel,
                              const ssmc_node *type);
/* Service, Api, PropertySelector and DesiredValues of the AWS API actions. */
void automation_api_inputs(actx *a, const astep *s);

/* `ssmc doc`: the step graph as a Mermaid flowchart block (auto_plan.c). */
void automation_mermaid(const ssmc_sources *sources, const ssmc_document *doc, buf *out);

/* For plan and doc: the runbook's steps as this module reads them. The
 * caller frees with automation_steps_free. */
void automation_collect(vctx *v, actx *a);
void automation_steps_free(actx *a);

#endif
