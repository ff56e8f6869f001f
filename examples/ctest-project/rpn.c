#include "rpn.h"

#include <ctype.h>
#include <stdlib.h>

int rpn_eval(const char *text, long *result) {
  long stack[64];
  int depth = 0;
  for (const char *c = text; *c;) {
    if (isspace((unsigned char)*c)) {
      ++c;
    } else if (isdigit((unsigned char)*c)) {
      if (depth == 64)
        return -1;
      char *end;
      stack[depth++] = strtol(c, &end, 10);
      c = end;
    } else {
      if (depth < 2)
        return -1;
      long b = stack[--depth], a = stack[--depth];
      switch (*c++) {
      case '+': stack[depth++] = a + b; break;
      case '-': stack[depth++] = a - b; break;
      case '*': stack[depth++] = a * b; break;
      case '/':
        if (b == 0)
          return -1;
        stack[depth++] = a / b;
        break;
      default: return -1;
      }
    }
  }
  if (depth != 1)
    return -1;
  *result = stack[0];
  return 0;
}
