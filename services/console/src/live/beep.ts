/** The critical-alert sound: a short two-tone beep through Web Audio, at most one a second. */
let context: AudioContext | undefined
let lastBeepMs = 0
/** Beeps played (the browser test reads it; headless Chromium has no speakers). */
export let beeps = 0

export function unlockAudio(): void {
  // Browsers start an AudioContext only after a user gesture (the login click is one).
  try {
    context ??= new AudioContext()
    if (context.state === 'suspended') void context.resume()
  } catch {
    context = undefined
  }
}

export function beep(): void {
  const now = performance.now()
  if (now - lastBeepMs < 1000) return
  lastBeepMs = now
  beeps++
  try {
    context ??= new AudioContext()
    const t0 = context.currentTime
    for (const [i, freq] of [880, 660].entries()) {
      const osc = context.createOscillator()
      const gain = context.createGain()
      osc.type = 'square'
      osc.frequency.value = freq
      gain.gain.setValueAtTime(0.0001, t0 + i * 0.18)
      gain.gain.exponentialRampToValueAtTime(0.15, t0 + i * 0.18 + 0.02)
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + i * 0.18 + 0.16)
      osc.connect(gain).connect(context.destination)
      osc.start(t0 + i * 0.18)
      osc.stop(t0 + i * 0.18 + 0.17)
    }
  } catch {
    // No audio device: the visual cue still shows.
  }
}
