import os from 'node:os'

/** The machine a benchmark ran on, stored with every result so numbers from different machines are not mixed up. */
export interface MachineInfo {
  cpuModel: string
  cores: number
  memoryGiB: number
  node: string
  platform: string
  /** 1-minute load average when the run started: other work on a shared machine skews absolute figures. */
  loadAverage: number
}

/** Describes this machine. */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus()
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    loadAverage: Math.round(os.loadavg()[0]! * 100) / 100,
  }
}
