/* One test case per argument, as ctest runs it: exit 0 when it passes. */
#include "rpn.h"

#include <stdio.h>
#include <string.h>

static int expect(const char *text, int status, long value) {
  long got = 0;
  int s = rpn_eval(text, &got);
  if (s != status || (s == 0 && got != value)) {
    fprintf(stderr, "'%s': got status %d value %ld\n", text, s, got);
    return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  const char *name = argc > 1 ? argv[1] : "";
  if (!strcmp(name, "add"))
    return expect("3 4 +", 0, 7);
  if (!strcmp(name, "mul"))
    return expect("3 4 *", 0, 12);
  if (!strcmp(name, "nested"))
    return expect("3 4 + 2 * 7 /", 0, 2);
  if (!strcmp(name, "divide_by_zero"))
    return expect("1 0 /", -1, 0);
  if (!strcmp(name, "long_sum")) { /* the slow one: a million evaluations */
    for (long i = 0; i < 1000000; ++i)
      if (expect("1 2 + 3 + 4 +", 0, 10))
        return 1;
    return 0;
  }
  fprintf(stderr, "unknown test '%s'\n", name);
  return 2;
}
