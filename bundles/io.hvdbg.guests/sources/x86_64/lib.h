/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
/* Freestanding helpers shared by the x86 test guests (32- and 64-bit). */
#ifndef HVDBG_X86_LIB_H
#define HVDBG_X86_LIB_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef unsigned long ulong;

static inline void outb(u16 port, u8 v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(u16 port, u16 v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(u16 port, u32 v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u16 inw(u16 port) { u16 v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u32 inl(u16 port) { u32 v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static inline void cpuid2(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}

static inline u64 rdmsr(u32 msr)
{
    u32 lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "memory");
}

static inline u64 rdtsc(void)
{
    u32 lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((u64)hi << 32) | lo;
}

static inline ulong read_cr0(void) { ulong v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline ulong read_cr2(void) { ulong v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline ulong read_cr3(void) { ulong v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline ulong read_cr4(void) { ulong v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr0(ulong v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
static inline void write_cr3(ulong v) { __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline void write_cr4(ulong v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }
static inline void invlpg(volatile void *p) { __asm__ volatile("invlpg (%0)" : : "r"(p) : "memory"); }

/* Orders plain stores before accesses through another mapping of the same memory. */
#define barrier() __asm__ volatile("" : : : "memory")

static inline u32 mmio_read32(ulong addr) { return *(volatile u32 *)addr; }
static inline void mmio_write32(ulong addr, u32 v) { *(volatile u32 *)addr = v; }

void putc(char c);
void puts(const char *s);
void put_hex(u64 v);
void put_dec(u64 v);
void exit(int code) __attribute__((noreturn));
void *memset(void *d, int c, ulong n);
void *memcpy(void *d, const void *s, ulong n);
int memcmp(const void *a, const void *b, ulong n);
ulong strlen(const char *s);

extern int failures;
extern int checks;
void check_fail(const char *what, const char *file, int line, u64 got, u64 want);

/* Counts a check; prints what failed with the values seen. */
#define CHECK_EQ(got, want) do { u64 g_ = (u64)(got), w_ = (u64)(want); checks++; \
    if (g_ != w_) check_fail(#got " == " #want, __FILE__, __LINE__, g_, w_); } while (0)
#define CHECK(cond) CHECK_EQ(!!(cond), 1)

/* Ends with "PASS n checks" / "FAIL k of n" and exits through isa-debug-exit (0 = pass). */
void report_and_exit(const char *name) __attribute__((noreturn));

#endif
