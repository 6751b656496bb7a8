/* set_attr.c -- rpmem_set_attr: rewrite the remote pool header's attributes (NULL: zeroed) */
#include "rpmem.h"

int
rpmem_set_attr(RPMEMpool *rpp, const struct rpmem_pool_attr *attr)
{
	int ret = rpmem_pool_check(rpp);
	if (ret == 0)
		ret = rpmem_obc_set_attr(rpp, attr);
	return ret ? rpmem_fail_last(__func__, ret) : 0;
}
