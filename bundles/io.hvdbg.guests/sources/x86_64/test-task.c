/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Hardware task switches in 32-bit protected mode, as kvm-unit-tests' taskswitch tests use
 * them: CALL to a TSS (back link, NT, IRET returns), JMP through a task gate in the GDT (no
 * link, busy bits moved), INT through an IDT task gate, and #GP through an IDT task gate with
 * its error code pushed on the handler task's stack, which then resumes the faulting task
 * elsewhere by editing its TSS. Checks TR, busy bits, CR0.TS and that registers survive.
 */
#include "lib.h"

struct tss {
    u16 link, r0;
    u32 esp0;
    u16 ss0, r1;
    u32 esp1;
    u16 ss1, r2;
    u32 esp2;
    u16 ss2, r3;
    u32 cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
    u16 es, r4, cs, r5, ss, r6, ds, r7, fs, r8, gs, r9, ldt, r10, trap, iomap;
} __attribute__((packed));

enum { SEL_CODE = 0x08, SEL_DATA = 0x10, SEL_MAIN = 0x18, SEL_A = 0x20, SEL_GATE_B = 0x28, SEL_B = 0x30,
       SEL_C = 0x38, SEL_D = 0x40 };

static u64 gdt[9] __attribute__((aligned(8)));
static u64 idt[256] __attribute__((aligned(8)));
static struct tss tss_main, tss_a, tss_b, tss_c, tss_d;
static u8 stack_a[4096], stack_b[4096], stack_c[4096], stack_d[4096];

static volatile int runs_a, runs_b, runs_c, runs_d;
static volatile u32 seen_flags, seen_link, seen_tr, seen_error;

/* Task bodies: each task loops, so it can be entered again after it switched away. */
void body_a(void);
void body_b(void);
void body_c(void);
void body_d(u32 error);
__asm__(".text\n"
        "task_a: call body_a\n iret\n jmp task_a\n"
        "task_b: call body_b\n ljmp $0x18, $0\n jmp task_b\n"
        "task_c: call body_c\n iret\n jmp task_c\n"
        "task_d: call body_d\n add $4, %esp\n iret\n jmp task_d\n");
extern char task_a[], task_b[], task_c[], task_d[];

static u32 eflags(void)
{
    u32 f;
    __asm__ volatile("pushf; pop %0" : "=r"(f));
    return f;
}

static u16 str(void)
{
    u16 s;
    __asm__ volatile("str %0" : "=r"(s));
    return s;
}

static void record(void)
{
    seen_flags = eflags();
    seen_tr = str();
    seen_link = ((struct tss *)(ulong)(((gdt[seen_tr >> 3] >> 16) & 0xffffff) | ((gdt[seen_tr >> 3] >> 56) << 24)))->link;
}

void body_a(void)
{
    runs_a++;
    record();
}

void body_b(void)
{
    runs_b++;
    record();
}

void body_c(void)
{
    runs_c++;
    record();
}

extern char gp_fault[], gp_resume[];

void body_d(u32 error)
{
    runs_d++;
    seen_error = error;
    record();
    tss_main.eip = (u32)(ulong)gp_resume; /* resume the faulting task after the bad load */
}

static u64 tss_desc(struct tss *t)
{
    u64 base = (u64)(ulong)t, limit = sizeof(*t) - 1;
    return (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) | (((limit >> 16) & 0xf) << 48) |
           ((base >> 24) << 56);
}

static u64 task_gate(u16 sel)
{
    return ((u64)sel << 16) | (0x85ULL << 40);
}

static void init_task(struct tss *t, void *entry, u8 *stack)
{
    memset(t, 0, sizeof(*t));
    t->eip = (u32)(ulong)entry;
    t->eflags = 2;
    t->esp = (u32)(ulong)(stack + 4096);
    t->cs = SEL_CODE;
    t->ss = t->ds = t->es = t->fs = t->gs = SEL_DATA;
    t->iomap = sizeof(*t);
}

static int busy(u16 sel)
{
    return (gdt[sel >> 3] >> 41) & 1;
}

static void clts(void)
{
    __asm__ volatile("clts");
}

int main(void)
{
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
    gdt[SEL_CODE >> 3] = 0x00cf9b000000ffffULL;
    gdt[SEL_DATA >> 3] = 0x00cf93000000ffffULL;
    gdt[SEL_MAIN >> 3] = tss_desc(&tss_main);
    gdt[SEL_A >> 3] = tss_desc(&tss_a);
    gdt[SEL_GATE_B >> 3] = task_gate(SEL_B);
    gdt[SEL_B >> 3] = tss_desc(&tss_b);
    gdt[SEL_C >> 3] = tss_desc(&tss_c);
    gdt[SEL_D >> 3] = tss_desc(&tss_d);
    idt[0x80] = task_gate(SEL_C) | (3ULL << 45);
    idt[13] = task_gate(SEL_D);
    struct {
        u16 limit;
        u32 base;
    } __attribute__((packed)) g = {sizeof(gdt) - 1, (u32)(ulong)gdt}, i = {sizeof(idt) - 1, (u32)(ulong)idt};
    __asm__ volatile("lgdt %0\n lidt %1\n ljmp $0x08, $1f\n 1:\n"
                     "mov $0x10, %%ax\n mov %%ax, %%ds\n mov %%ax, %%es\n mov %%ax, %%ss\n"
                     "mov %%ax, %%fs\n mov %%ax, %%gs" : : "m"(g), "m"(i) : "eax", "memory");
    tss_main.iomap = sizeof(tss_main);
    __asm__ volatile("ltr %w0" : : "r"(SEL_MAIN));
    init_task(&tss_a, task_a, stack_a);
    init_task(&tss_b, task_b, stack_b);
    init_task(&tss_c, task_c, stack_c);
    init_task(&tss_d, task_d, stack_d);
    CHECK_EQ(str(), SEL_MAIN);
    CHECK(busy(SEL_MAIN));

    /* CALL to a TSS: nested task, back link, IRET returns; registers survive */
    u32 kept;
    __asm__ volatile("mov $0x5eed1234, %%esi\n lcall $0x20, $0\n mov %%esi, %0" : "=r"(kept) : : "esi", "memory");
    CHECK_EQ(kept, 0x5eed1234);
    CHECK_EQ(runs_a, 1);
    CHECK_EQ(seen_tr, SEL_A);
    CHECK_EQ(seen_link, SEL_MAIN);
    CHECK_EQ((seen_flags >> 14) & 1, 1); /* NT */
    CHECK_EQ(str(), SEL_MAIN);
    CHECK(!busy(SEL_A));
    CHECK(busy(SEL_MAIN));
    CHECK_EQ((eflags() >> 14) & 1, 0);
    CHECK_EQ((read_cr0() >> 3) & 1, 1); /* CR0.TS */
    clts();
    __asm__ volatile("lcall $0x20, $0" : : : "memory"); /* again: the task continues its loop */
    CHECK_EQ(runs_a, 2);

    /* JMP through a task gate: no link, no NT, the old task is no longer busy */
    tss_b.link = 0;
    __asm__ volatile("ljmp $0x28, $0" : : : "memory");
    CHECK_EQ(runs_b, 1);
    CHECK_EQ(seen_tr, SEL_B);
    CHECK_EQ(seen_link, 0);
    CHECK_EQ((seen_flags >> 14) & 1, 0);
    CHECK_EQ(str(), SEL_MAIN);
    CHECK(!busy(SEL_B));
    CHECK(busy(SEL_MAIN));

    /* INT through an IDT task gate */
    __asm__ volatile("int $0x80" : : : "memory");
    CHECK_EQ(runs_c, 1);
    CHECK_EQ(seen_tr, SEL_C);
    CHECK_EQ(seen_link, SEL_MAIN);
    CHECK_EQ((seen_flags >> 14) & 1, 1);
    CHECK(!busy(SEL_C));

    /* #GP through an IDT task gate: the error code is on the handler task's stack */
    __asm__ volatile("mov $0x1234, %%ax\n"
                     ".globl gp_fault\n gp_fault: mov %%ax, %%ds\n"
                     ".globl gp_resume\n gp_resume: mov $0x10, %%ax\n mov %%ax, %%ds" : : : "eax", "memory");
    CHECK_EQ(runs_d, 1);
    CHECK_EQ(seen_error, 0x1234); /* the selector, TI set, RPL bits clear */
    CHECK_EQ(seen_tr, SEL_D);
    CHECK_EQ(seen_link, SEL_MAIN);
    CHECK_EQ(str(), SEL_MAIN);
    clts();
    puts("task: 5 task switches out and back\n");
    report_and_exit("task");
}
