/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class ElfImageTest {
    /** A minimal ELF64 executable: one PT_LOAD of 16 bytes at 0x80000000, a symbol "start". */
    static byte[] elf64() {
        ByteBuffer b = ByteBuffer.allocate(0x200).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7F, 'E', 'L', 'F', 2, 1, 1, 0});
        b.position(16);
        b.putShort((short) 2).putShort((short) ElfImage.EM_RISCV).putInt(1);
        b.putLong(0x80000000L); // entry
        b.putLong(0x40); // phoff
        b.putLong(0x100); // shoff
        b.putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) 1);
        b.putShort((short) 64).putShort((short) 3).putShort((short) 0);
        // program header at 0x40
        b.position(0x40);
        b.putInt(ElfImage.PT_LOAD).putInt(5).putLong(0x80).putLong(0x80000000L).putLong(0x80000000L)
                .putLong(16).putLong(32).putLong(16);
        // code at 0x80
        b.position(0x80);
        b.putLong(0x13).putLong(0x13);
        // symtab at 0xA0: null symbol + "start"
        b.position(0xA0 + 24);
        b.putInt(1).put((byte) 0x12).put((byte) 0).putShort((short) 1).putLong(0x80000000L).putLong(16);
        // strtab at 0xD0
        b.position(0xD0);
        b.put(new byte[] {0, 's', 't', 'a', 'r', 't', 0});
        // section headers at 0x100: null, symtab (link 2), strtab
        b.position(0x100 + 64);
        b.putInt(0).putInt(2).putLong(0).putLong(0).putLong(0xA0).putLong(48).putInt(2).putInt(1).putLong(8).putLong(24);
        b.putInt(0).putInt(3).putLong(0).putLong(0).putLong(0xD0).putLong(7).putInt(0).putInt(0).putLong(1).putLong(0);
        return Arrays.copyOf(b.array(), 0x100 + 3 * 64);
    }

    @Test
    void parsesHeaderSegmentsAndSymbols() throws Exception {
        ElfImage e = ElfImage.parse("t.elf", elf64());
        assertTrue(e.is64());
        assertEquals(ElfImage.EM_RISCV, e.machine());
        assertEquals(0x80000000L, e.entry());
        assertEquals(1, e.segments().size());
        ElfImage.Segment s = e.segments().get(0);
        assertEquals(16, s.fileSize());
        assertEquals(32, s.memSize());
        assertEquals("start", e.symbol("start").name());
        assertEquals("start", e.symbolAt(0x80000008L).name());
        assertEquals(null, e.symbolAt(0x80000010L));
    }

    @Test
    void truncatedAndForeignFilesGetMessagesNamingTheFile() {
        byte[] full = elf64();
        ImageFormatException t = assertThrows(ImageFormatException.class,
                () -> ElfImage.parse("k.elf", Arrays.copyOf(full, 0x88)));
        assertTrue(t.getMessage().startsWith("k.elf: segment 0") && t.getMessage().contains("truncated"), t.getMessage());
        ImageFormatException m = assertThrows(ImageFormatException.class,
                () -> ElfImage.parse("x.bin", "MZ not elf".getBytes()));
        assertEquals("x.bin: not an ELF file (bad magic)", m.getMessage());
        assertThrows(ImageFormatException.class, () -> ElfImage.parse("short", Arrays.copyOf(full, 20)));
        assertFalse(ElfImage.isElf(new byte[2]));
    }

    @Test
    void hostileSizesNeverEscapeAsRuntimeExceptions() {
        byte[] full = elf64();
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 20_000; i++) {
            byte[] mutated = full.clone();
            for (int k = 0; k < 4; k++) {
                mutated[4 + r.nextInt(mutated.length - 4)] = (byte) r.nextInt();
            }
            try {
                ElfImage.parse("fuzz", mutated);
            } catch (ImageFormatException expected) {
                // fine: a clear message
            }
        }
    }
}
