/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * The 64-bit division helpers gcc calls in 32-bit code (libgcc's __udivdi3/__umoddi3), so the
 * 32-bit guests need no 32-bit libgcc on the build machine.
 */
typedef unsigned long long u64;

static u64 divmod(u64 n, u64 d, u64 *rem)
{
    u64 q = 0, r = 0;
    for (int i = 63; i >= 0; i--) {
        r = (r << 1) | ((n >> i) & 1);
        if (r >= d) {
            r -= d;
            q |= 1ULL << i;
        }
    }
    *rem = r;
    return q;
}

u64 __udivdi3(u64 n, u64 d)
{
    u64 r;
    return divmod(n, d, &r);
}

u64 __umoddi3(u64 n, u64 d)
{
    u64 r;
    divmod(n, d, &r);
    return r;
}
