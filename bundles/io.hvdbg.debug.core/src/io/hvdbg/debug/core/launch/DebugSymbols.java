/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.core.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.variables.VariablesPlugin;

import io.hvdbg.core.loader.ElfImage;
import io.hvdbg.core.loader.ImageFormatException;
import io.hvdbg.debug.core.HvdbgDebugCore;

/** The guest's symbol table for frame labels: an explicit ELF, else the guest image when it is ELF. */
final class DebugSymbols {
    private DebugSymbols() {
    }

    /**
     * @param configured the symbols attribute (may be empty or contain string variables)
     * @param fallback   the guest image, used when it is an ELF; may be null
     * @throws CoreException if an explicitly named file is missing or not ELF
     */
    static ElfImage load(String configured, Path fallback) throws CoreException {
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(VariablesPlugin.getDefault().getStringVariableManager()
                    .performStringSubstitution(configured.trim()));
            try {
                return ElfImage.parse(p.toString(), Files.readAllBytes(p));
            } catch (IOException e) {
                throw HvdbgDebugCore.coreException("Symbol file " + p + " cannot be read: " + e.getMessage());
            } catch (ImageFormatException e) {
                throw HvdbgDebugCore.coreException("Symbol file " + p + " is not a usable ELF: " + e.getMessage());
            }
        }
        if (fallback == null) {
            return null;
        }
        try {
            byte[] data = Files.readAllBytes(fallback);
            return ElfImage.isElf(data) ? ElfImage.parse(fallback.toString(), data) : null;
        } catch (IOException | ImageFormatException e) {
            return null; // no symbols: frames show addresses only
        }
    }
}
