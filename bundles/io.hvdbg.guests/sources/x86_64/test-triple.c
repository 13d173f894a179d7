/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Triple fault: with an empty IDT, #UD cannot be delivered (#GP), nor can the #GP (#DF), nor
 * the #DF - the CPU shuts down. A hypervisor sees a triple-fault / shutdown exit.
 */
#include "lib.h"

int main(void)
{
    struct {
        u16 limit;
        u32 base;
    } __attribute__((packed)) empty = {0, 0};
    puts("loading an empty IDT and executing ud2\n");
    __asm__ volatile("lidt %0\n ud2" : : "m"(empty));
    puts("still running: FAIL\n");
    return 1;
}
