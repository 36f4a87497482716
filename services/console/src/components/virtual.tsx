/**
 * A fixed-row-height virtual list on @tanstack/virtual-core: only the rows in view (plus overscan)
 * are in the DOM, so 10,000 alerts or 1,000 call tiles cost what a screenful costs.
 */
import { useLayoutEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks'
import type { ComponentChildren } from 'preact'
import { Virtualizer, elementScroll, observeElementOffset, observeElementRect } from '@tanstack/virtual-core'

export interface VirtualListProps {
  count: number
  rowHeight: number
  renderRow: (index: number) => ComponentChildren
  getKey?: (index: number) => string | number
  overscan?: number
  className?: string
  /** data-testid of the scroller. */
  testId?: string
}

const SLOTS = 256

export function VirtualList({ count, rowHeight, renderRow, getKey, overscan = 6, className, testId }: VirtualListProps) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const [, rerender] = useReducer((n: number) => n + 1, 0)
  // Stable callbacks: virtual-core re-measures every row when a callback changes identity, which
  // with 10,000 rows would cost O(n) per frame. The latest getKey is read through a ref.
  const keyRef = useRef(getKey)
  keyRef.current = getKey
  const [stable] = useState(() => ({
    getScrollElement: () => scrollRef.current,
    getItemKey: (i: number) => (keyRef.current ? keyRef.current(i) : i),
    onChange: () => rerender(0),
  }))
  const estimateSize = useMemo(() => () => rowHeight, [rowHeight])
  const options = {
    count,
    getScrollElement: stable.getScrollElement,
    estimateSize,
    scrollToFn: elementScroll,
    observeElementRect,
    observeElementOffset,
    overscan,
    getItemKey: stable.getItemKey,
    onChange: stable.onChange,
  }
  const [virtualizer] = useState(() => new Virtualizer<HTMLDivElement, HTMLDivElement>(options))
  virtualizer.setOptions(options)
  useLayoutEffect(() => virtualizer._didMount(), [])
  useLayoutEffect(() => virtualizer._willUpdate())
  const items = virtualizer.getVirtualItems()
  return (
    <div ref={scrollRef} class={`vlist ${className ?? ''}`} data-testid={testId}>
      <div style={{ height: `${virtualizer.getTotalSize()}px`, position: 'relative' }}>
        {items.map((item) => (
          // Keyed by slot, not by item: scrolling re-fills the same DOM rows instead of unmounting
          // and mounting a screenful every frame (the window is far smaller than SLOTS rows).
          <div
            key={item.index % SLOTS}
            class="vrow"
            style={{ position: 'absolute', top: 0, left: 0, right: 0, height: `${rowHeight}px`, transform: `translateY(${item.start}px)` }}
          >
            {renderRow(item.index)}
          </div>
        ))}
      </div>
    </div>
  )
}
