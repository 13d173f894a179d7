/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.core.model;

/**
 * Adapter of debug elements (a VM process, later a vCPU thread of the debug model) whose vCPU
 * state the vCPU State view can show.
 */
public interface IVcpuStateProvider {
    /** The latest state, or null if none was captured yet (e.g. the guest never stopped). */
    VcpuStateSnapshot vcpuState();
}
