/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Reports what the vCPU's ISA configuration lets this guest do: prints the riscv,isa string
 * of its device tree, then tries one instruction of each switchable extension and prints
 * "NAME: works" or "NAME: illegal instruction". Built for rv64imac so it runs on small
 * configurations; the JUnit side compares the report with the configuration.
 */
#include "guest.h"

static volatile int illegal;

static int hook(struct frame *f, u64 scause, u64 stval)
{
    if (scause == 2) {
        illegal++;
        f->sepc += 4;
        return 1;
    }
    return 0;
}

static void report(const char *name)
{
    puts(name);
    puts(illegal ? ": illegal instruction\n" : ": works\n");
    illegal = 0;
}

static volatile u32 cell;

int main(unsigned long hartid, unsigned long fdt)
{
    trap_hook = hook;
    const char *p = (const char *)fdt;
    for (int i = 0; i < 8192; i++) {
        if (p[i] == 'r' && p[i + 1] == 'v' && p[i + 2] == '6' && p[i + 3] == '4') {
            puts("riscv,isa = ");
            puts(p + i);
            putc('\n');
            break;
        }
    }
    u64 r = 1;
    __asm__ volatile(".option push\n.option norvc\n.insn r 0x33, 4, 0x05, %0, %0, %0\n.option pop" : "+r"(r)); /* min */
    report("zbb");
    __asm__ volatile(".option push\n.option norvc\n.insn r 0x33, 2, 0x10, %0, %0, %0\n.option pop" : "+r"(r)); /* sh1add */
    report("zba");
    __asm__ volatile(".option push\n.option norvc\n.insn r 0x33, 1, 0x24, %0, %0, %0\n.option pop" : "+r"(r)); /* bclr */
    report("zbs");
    __asm__ volatile(".insn r 0x2f, 0, 0x00, %0, %1, %0" : "+r"(r) : "r"(&cell) : "memory"); /* amoadd.b */
    report("zabha");
    __asm__ volatile(".insn r 0x2f, 2, 0x14, %0, %1, %0" : "+r"(r) : "r"(&cell) : "memory"); /* amocas.w */
    report("zacas");
    __asm__ volatile(".option push\n.option norvc\ncsrr %0, 0x14d\n.option pop" : "=r"(r)); /* stimecmp */
    report("sstc");
    __asm__ volatile(".option push\n.option norvc\ncsrr %0, cycle\n.option pop" : "=r"(r));
    report("zicntr");
    return failures();
}
