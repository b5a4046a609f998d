#ifndef CHARITY_MATCH_CLIBPQ_SHIM_H
#define CHARITY_MATCH_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
