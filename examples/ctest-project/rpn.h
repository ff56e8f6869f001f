/* A reverse Polish notation calculator over integers. */
#pragma once

/* Evaluates `text` ("3 4 + 2 *"); returns 0 and sets *result, or -1 on a malformed expression
   or a division by zero. */
int rpn_eval(const char* text, long* result);
