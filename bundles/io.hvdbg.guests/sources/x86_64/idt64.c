/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
#include "idt64.h"

struct gate {
    u16 off0, sel;
    u8 ist, type;
    u16 off1;
    u32 off2, zero;
} __attribute__((packed));

static struct gate idt[256] __attribute__((aligned(16)));
static void (*handlers[256])(struct frame *);
volatile int ex_vector = -1;
volatile u64 ex_error;
volatile u64 ex_recover;
volatile u64 ex_cs;
volatile u64 ex_recover_next;
volatile int ex_log[8];
volatile int ex_log_n;
volatile u64 ex_error_log[8];

extern char isr0[], isr1[], isr3[], isr4[], isr5[], isr6[], isr7[], isr8[], isr10[], isr11[], isr12[], isr13[],
    isr14[], isr17[], isr20[], isr32[], isr33[], isr128[];

static void set_gate(int v, void *fn, int type)
{
    u64 a = (u64)fn;
    idt[v].off0 = (u16)a;
    idt[v].sel = 0x08;
    idt[v].ist = 0;
    idt[v].type = (u8)type;
    idt[v].off1 = (u16)(a >> 16);
    idt[v].off2 = (u32)(a >> 32);
    idt[v].zero = 0;
}

void idt_init(void)
{
    void *stubs[] = {isr0, isr1, 0, isr3, isr4, isr5, isr6, isr7, isr8, 0, isr10, isr11, isr12, isr13, isr14, 0, 0, isr17};
    for (int i = 0; i < 18; i++)
        if (stubs[i])
            set_gate(i, stubs[i], 0x8e);
    set_gate(3, isr3, 0xee);
    set_gate(20, isr20, 0x8e); /* #VE (TDX guests) */
    set_gate(32, isr32, 0x8e);
    set_gate(33, isr33, 0x8e);
    set_gate(128, isr128, 0xef);
    struct {
        u16 limit;
        u64 base;
    } __attribute__((packed)) d = {sizeof(idt) - 1, (u64)idt};
    __asm__ volatile("lidt %0" : : "m"(d));
}

void set_ist(int vector, int ist)
{
    idt[vector].ist = (u8)ist;
}

void set_handler(int vector, void (*fn)(struct frame *))
{
    handlers[vector] = fn;
}

void trap(struct frame *f)
{
    if (handlers[f->vector]) {
        handlers[f->vector](f);
        return;
    }
    if (ex_recover) {
        ex_vector = (int)f->vector;
        ex_error = f->error;
        ex_cs = f->cs;
        f->rip = ex_recover;
        ex_recover = ex_recover_next;
        ex_recover_next = 0;
        if (ex_log_n < 8) {
            ex_error_log[ex_log_n] = f->error;
            ex_log[ex_log_n++] = (int)f->vector;
        }
        return;
    }
    puts("unexpected exception ");
    put_dec(f->vector);
    puts(" error ");
    put_hex(f->error);
    puts(" at rip ");
    put_hex(f->rip);
    puts(" cr2 ");
    put_hex(read_cr2());
    puts("\n");
    exit(3);
}
