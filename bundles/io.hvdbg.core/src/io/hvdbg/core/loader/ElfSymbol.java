/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.loader;

/** A symbol from an ELF symbol table (functions and objects). */
public record ElfSymbol(String name, long value, long size, boolean function) {
}
