/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Exit-loop guest for the live hypervisor views: never ends by itself; forever takes a CPUID
 * exit and a port-0x80 OUT exit (the POST port, no device behind it) with a few thousand
 * instructions of work between them, so its exit count grows steadily while it runs.
 */
#include "idt64.h"

int main(u32 mbinfo)
{
    (void)mbinfo;
    u32 a, b, c, d;
    volatile u32 sink = 0;
    puts("hvdbg x86_64 exit loop: CPUID and OUT 0x80 until stopped\n");
    for (u32 i = 0;; i++) {
        cpuid2(0, 0, &a, &b, &c, &d);
        outb(0x80, (u8)i);
        for (u32 k = 0; k < 2000; k++)
            sink += k;
    }
}
