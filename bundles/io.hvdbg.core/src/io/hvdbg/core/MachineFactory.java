/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core;

import io.hvdbg.core.loader.ImageFormatException;

/**
 * Creates machines of one architecture from a {@link VmConfig}: builds memory, devices and
 * vCPUs and loads the guest image. Each architecture bundle exports one; the command line and
 * the IDE pick the factory for {@code --arch}.
 */
public interface MachineFactory {
    Architecture architecture();

    /**
     * Builds a machine, paused, with its image loaded.
     *
     * @throws ImageFormatException     if the kernel or initrd cannot be loaded (message names the file)
     * @throws IllegalArgumentException if an option is invalid for this architecture (message names it)
     */
    VirtualMachine create(VmConfig config) throws ImageFormatException;
}
