/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Instruction-group test (built 64-bit as test-alu64.elf and 32-bit as test-alu32.elf): runs
 * every case of alu_cases.h and compares each group's checksum of results and defined flags
 * with the value real hardware produced (alu_expected.h).
 */
#include "lib.h"
#include "alu_cases.h"
#include "alu_expected.h"

static int same(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

int main(void)
{
    int groups = 0;
    for (unsigned i = 0; i < N_OPS; i++) {
        if (!alu_ops[i].fn)
            continue;
        for (unsigned e = 0; e < sizeof(alu_expected) / sizeof(alu_expected[0]); e++) {
            if (!same(alu_ops[i].name, alu_expected[e].name))
                continue;
            int n;
            u64 h = run_op(&alu_ops[i], &n);
            checks++;
            groups++;
            if (h != alu_expected[e].sum || n != alu_expected[e].cases) {
                failures++;
                puts("FAIL ");
                puts(alu_ops[i].name);
                puts(" checksum ");
                put_hex(h);
                puts(" want ");
                put_hex(alu_expected[e].sum);
                puts("\n");
            }
        }
    }
    puts("instruction groups checked: ");
    put_dec(groups);
    puts("\n");
#ifdef __x86_64__
    report_and_exit("alu64");
#else
    report_and_exit("alu32");
#endif
}
