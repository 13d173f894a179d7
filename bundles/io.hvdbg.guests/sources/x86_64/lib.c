/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
#include "lib.h"

#define COM1 0x3f8

int failures;
int checks;

void putc(char c)
{
    while (!(inb(COM1 + 5) & 0x20))
        ;
    outb(COM1, c);
}

void puts(const char *s)
{
    while (*s) {
        if (*s == '\n')
            putc('\r');
        putc(*s++);
    }
}

void put_hex(u64 v)
{
    char buf[19];
    int i = 18;
    buf[i] = 0;
    do {
        buf[--i] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    buf[--i] = 'x';
    buf[--i] = '0';
    puts(buf + i);
}

void put_dec(u64 v)
{
    char buf[21];
    int i = 20;
    buf[i] = 0;
    do {
        buf[--i] = '0' + (char)(v % 10);
        v /= 10;
    } while (v);
    puts(buf + i);
}

void exit(int code)
{
    outl(0xf4, (u32)code);
    for (;;)
        __asm__ volatile("cli; hlt");
}

void *memset(void *d, int c, ulong n)
{
    u8 *p = d;
    while (n--)
        *p++ = (u8)c;
    return d;
}

void *memcpy(void *d, const void *s, ulong n)
{
    u8 *p = d;
    const u8 *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}

int memcmp(const void *a, const void *b, ulong n)
{
    const u8 *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q)
            return *p - *q;
    return 0;
}

ulong strlen(const char *s)
{
    ulong n = 0;
    while (s[n])
        n++;
    return n;
}

void check_fail(const char *what, const char *file, int line, u64 got, u64 want)
{
    failures++;
    puts("FAIL ");
    puts(file);
    putc(':');
    put_dec(line);
    puts(": ");
    puts(what);
    puts(" got ");
    put_hex(got);
    puts(" want ");
    put_hex(want);
    puts("\n");
}

void report_and_exit(const char *name)
{
    puts(name);
    if (failures) {
        puts(": FAIL ");
        put_dec(failures);
        puts(" of ");
        put_dec(checks);
        puts(" checks\n");
        exit(1);
    }
    puts(": PASS ");
    put_dec(checks);
    puts(" checks\n");
    exit(0);
}
