/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.loader;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import io.hvdbg.core.memory.LittleEndian;

/**
 * A parsed little-endian ELF32 or ELF64 file: header, loadable segments and symbols. Every
 * offset and size is checked against the file, so a truncated or hostile file gives an
 * {@link ImageFormatException} naming what is wrong, never an exception from array indexing.
 */
public final class ElfImage {
    public static final int EM_386 = 3;
    public static final int EM_X86_64 = 62;
    public static final int EM_RISCV = 243;
    public static final int PT_LOAD = 1;

    /** A program header of type PT_LOAD. */
    public record Segment(long offset, long vaddr, long paddr, long fileSize, long memSize, int flags) {
    }

    private final String name;
    private final byte[] data;
    private final boolean is64;
    private final int machine;
    private final int type;
    private final long entry;
    private final List<Segment> segments;
    private final List<ElfSymbol> symbols;

    private ElfImage(String name, byte[] data, boolean is64, int machine, int type, long entry, List<Segment> segments,
            List<ElfSymbol> symbols) {
        this.name = name;
        this.data = data;
        this.is64 = is64;
        this.machine = machine;
        this.type = type;
        this.entry = entry;
        this.segments = segments;
        this.symbols = symbols;
    }

    /** True if the bytes start with the ELF magic. */
    public static boolean isElf(byte[] data) {
        return data.length >= 4 && data[0] == 0x7F && data[1] == 'E' && data[2] == 'L' && data[3] == 'F';
    }

    /**
     * Parses an ELF file.
     *
     * @param name shown in error messages (usually the file path)
     */
    public static ElfImage parse(String name, byte[] data) throws ImageFormatException {
        if (!isElf(data)) {
            throw new ImageFormatException(name + ": not an ELF file (bad magic)");
        }
        if (data.length < 0x34) {
            throw new ImageFormatException(name + ": truncated ELF header (" + data.length + " bytes)");
        }
        int cls = data[4];
        if (cls != 1 && cls != 2) {
            throw new ImageFormatException(name + ": unknown ELF class " + cls);
        }
        if (data[5] != 1) {
            throw new ImageFormatException(name + ": big-endian ELF is not supported");
        }
        boolean is64 = cls == 2;
        if (is64 && data.length < 0x40) {
            throw new ImageFormatException(name + ": truncated ELF64 header (" + data.length + " bytes)");
        }
        int type = LittleEndian.getU16(data, 16);
        int machine = LittleEndian.getU16(data, 18);
        long entry = is64 ? LittleEndian.getI64(data, 24) : LittleEndian.getU32(data, 24);
        long phoff = is64 ? LittleEndian.getI64(data, 32) : LittleEndian.getU32(data, 28);
        long shoff = is64 ? LittleEndian.getI64(data, 40) : LittleEndian.getU32(data, 32);
        int phentsize = LittleEndian.getU16(data, is64 ? 54 : 42);
        int phnum = LittleEndian.getU16(data, is64 ? 56 : 44);
        int shentsize = LittleEndian.getU16(data, is64 ? 58 : 46);
        int shnum = LittleEndian.getU16(data, is64 ? 60 : 48);
        int shstrndx = LittleEndian.getU16(data, is64 ? 62 : 50);

        List<Segment> segments = new ArrayList<>();
        if (phnum > 0) {
            int minEnt = is64 ? 56 : 32;
            if (phentsize < minEnt) {
                throw new ImageFormatException(name + ": program header entries are " + phentsize + " bytes, need " + minEnt);
            }
            check(name, data, phoff, (long) phentsize * phnum, "program header table");
            for (int i = 0; i < phnum; i++) {
                int o = (int) (phoff + (long) i * phentsize);
                long ptype = LittleEndian.getU32(data, o);
                if (ptype != PT_LOAD) {
                    continue;
                }
                Segment s = is64
                        ? new Segment(LittleEndian.getI64(data, o + 8), LittleEndian.getI64(data, o + 16),
                                LittleEndian.getI64(data, o + 24), LittleEndian.getI64(data, o + 32),
                                LittleEndian.getI64(data, o + 40), LittleEndian.getI32(data, o + 4))
                        : new Segment(LittleEndian.getU32(data, o + 4), LittleEndian.getU32(data, o + 8),
                                LittleEndian.getU32(data, o + 12), LittleEndian.getU32(data, o + 16),
                                LittleEndian.getU32(data, o + 20), LittleEndian.getI32(data, o + 24));
                if (s.fileSize() < 0 || s.memSize() < 0 || Long.compareUnsigned(s.fileSize(), s.memSize()) > 0) {
                    throw new ImageFormatException(String.format("%s: segment %d has file size 0x%x above memory size 0x%x",
                            name, i, s.fileSize(), s.memSize()));
                }
                check(name, data, s.offset(), s.fileSize(), "segment " + i);
                segments.add(s);
            }
        }
        List<ElfSymbol> symbols = readSymbols(name, data, is64, shoff, shentsize, shnum, shstrndx);
        return new ElfImage(name, data, is64, machine, type, entry, List.copyOf(segments), symbols);
    }

    private static void check(String name, byte[] data, long off, long len, String what) throws ImageFormatException {
        if (off < 0 || len < 0 || off > data.length || len > data.length - off) {
            throw new ImageFormatException(String.format("%s: %s at offset 0x%x size 0x%x lies beyond the end of the file (%d bytes): truncated?",
                    name, what, off, len, data.length));
        }
    }

    private static List<ElfSymbol> readSymbols(String name, byte[] data, boolean is64, long shoff, int shentsize,
            int shnum, int shstrndx) throws ImageFormatException {
        if (shoff == 0 || shnum == 0) {
            return List.of();
        }
        int minEnt = is64 ? 64 : 40;
        if (shentsize < minEnt) {
            throw new ImageFormatException(name + ": section header entries are " + shentsize + " bytes, need " + minEnt);
        }
        check(name, data, shoff, (long) shentsize * shnum, "section header table");
        List<ElfSymbol> out = new ArrayList<>();
        for (int i = 0; i < shnum; i++) {
            int o = (int) (shoff + (long) i * shentsize);
            long type = LittleEndian.getU32(data, o + 4);
            if (type != 2 /* SHT_SYMTAB */) {
                continue;
            }
            long off = is64 ? LittleEndian.getI64(data, o + 24) : LittleEndian.getU32(data, o + 16);
            long size = is64 ? LittleEndian.getI64(data, o + 32) : LittleEndian.getU32(data, o + 20);
            long link = LittleEndian.getU32(data, o + (is64 ? 40 : 24));
            long entsize = is64 ? LittleEndian.getI64(data, o + 56) : LittleEndian.getU32(data, o + 36);
            check(name, data, off, size, "symbol table");
            if (link >= shnum) {
                throw new ImageFormatException(name + ": symbol table links to missing string table " + link);
            }
            int so = (int) (shoff + link * shentsize);
            long stroff = is64 ? LittleEndian.getI64(data, so + 24) : LittleEndian.getU32(data, so + 16);
            long strsize = is64 ? LittleEndian.getI64(data, so + 32) : LittleEndian.getU32(data, so + 20);
            check(name, data, stroff, strsize, "string table");
            int ent = is64 ? 24 : 16;
            if (entsize != 0 && entsize < ent) {
                throw new ImageFormatException(name + ": symbol entries are " + entsize + " bytes, need " + ent);
            }
            long step = entsize == 0 ? ent : entsize;
            for (long p = off; p + ent <= off + size; p += step) {
                int q = (int) p;
                long nameOff = LittleEndian.getU32(data, q);
                int info = data[q + (is64 ? 4 : 12)] & 0xFF;
                int stype = info & 0xF;
                if (stype != 1 && stype != 2) { // STT_OBJECT, STT_FUNC
                    continue;
                }
                long value = is64 ? LittleEndian.getI64(data, q + 8) : LittleEndian.getU32(data, q + 4);
                long ssize = is64 ? LittleEndian.getI64(data, q + 16) : LittleEndian.getU32(data, q + 8);
                String sym = cString(data, stroff, strsize, nameOff);
                if (!sym.isEmpty()) {
                    out.add(new ElfSymbol(sym, value, ssize, stype == 2));
                }
            }
        }
        out.sort(Comparator.comparingLong(ElfSymbol::value));
        return Collections.unmodifiableList(out);
    }

    private static String cString(byte[] data, long tableOff, long tableSize, long off) {
        if (off >= tableSize) {
            return "";
        }
        int start = (int) (tableOff + off);
        int end = start;
        int limit = (int) (tableOff + tableSize);
        while (end < limit && data[end] != 0) {
            end++;
        }
        return new String(data, start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    public String name() {
        return name;
    }

    public byte[] data() {
        return data;
    }

    public boolean is64() {
        return is64;
    }

    /** e_machine (EM_386, EM_X86_64, EM_RISCV …). */
    public int machine() {
        return machine;
    }

    /** e_type (2 = executable, 3 = shared object). */
    public int type() {
        return type;
    }

    public long entry() {
        return entry;
    }

    public List<Segment> segments() {
        return segments;
    }

    public List<ElfSymbol> symbols() {
        return symbols;
    }

    /** The symbol with this name, or null. */
    public ElfSymbol symbol(String symbolName) {
        for (ElfSymbol s : symbols) {
            if (s.name().equals(symbolName)) {
                return s;
            }
        }
        return null;
    }

    /** The function or object containing {@code address}, or null. */
    public ElfSymbol symbolAt(long address) {
        ElfSymbol best = null;
        for (ElfSymbol s : symbols) {
            if (Long.compareUnsigned(s.value(), address) > 0) {
                break;
            }
            if (Long.compareUnsigned(address, s.value() + Math.max(1, s.size())) < 0) {
                best = s;
            }
        }
        return best;
    }
}
