/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.fuzz;

import io.hvdbg.core.loader.ElfImage;
import io.hvdbg.core.loader.ImageFormatException;

/** The ELF parser: any bytes either parse or are refused with a message naming the problem. */
public final class ElfImageFuzz {
    public static void fuzzerTestOneInput(byte[] data) {
        try {
            ElfImage elf = ElfImage.parse("fuzz.elf", data);
            elf.segments().forEach(s -> { });
            elf.symbols().forEach(s -> elf.symbolAt(s.value()));
        } catch (ImageFormatException e) {
            GuestRuns.requireMessage(e);
        }
    }
}
