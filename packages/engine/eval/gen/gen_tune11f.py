import json, os, random, sys
sys.path.insert(0, os.path.dirname(__file__))
import tune11f_a, tune11f_b, tune11f_c, tune11f_d, tune11f_e
from tune11f_a import CALLS
SET = 'tune11f'
out = os.path.join(os.path.dirname(__file__), '..', 'data', SET)
os.makedirs(out, exist_ok=True)
rnd = random.Random(1106)
stats = {'F': 0, 'I': 0, 'calls': 0}
for i, (slug, lines, hung, disp) in enumerate(CALLS, 1):
    cid = f'ev-{SET}-{i:03d}'
    ev = [{"type": "call.started", "callId": cid, "agentId": f"a-{1 + i % 7}", "teamId": "t-1", "direction": "outbound",
           "at": f"2026-12-06T{1 + i // 30:02d}:{(i * 7) % 60:02d}:00.000Z"}]
    labels = []
    t = rnd.randint(300, 900)
    for seq, line in enumerate(lines, 1):
        parts = line.split('|')
        spk = {'A': 'agent', 'C': 'customer'}[parts[0]]
        text = parts[1]
        dur = int(len(text) * rnd.uniform(220, 280))
        ev.append({"type": "utterance", "callId": cid, "seq": seq, "speaker": spk, "text": text, "startMs": t,
                   "endMs": t + dur, "final": True})
        t += dur + rnd.randint(300, 2000)
        if len(parts) > 2:
            lab = parts[2].split(':')
            if lab[0] == 'F':
                labels.append({"seq": seq, "expect": [{"rule": "forbidden_phrase", "act": lab[1], "form": lab[2], "kind": lab[3]}]})
            else:
                labels.append({"seq": seq, "expect": [], "innocent": lab[1]})
            stats[lab[0]] += 1
    ev.append({"type": "call.ended", "callId": cid, "endMs": t, "disposition": disp, "hungUpBy": hung})
    base = os.path.join(out, f'{i:03d}-{SET}-{slug}')
    with open(base + '.jsonl', 'w') as f:
        for e in ev:
            f.write(json.dumps(e, ensure_ascii=False) + '\n')
    with open(base + '.labels.json', 'w') as f:
        json.dump({"callId": cid, "greeted": True, "closingOk": True, "utterances": labels}, f, ensure_ascii=False, indent=2)
        f.write('\n')
    stats['calls'] += 1
    assert 10 <= len(lines) <= 16, (slug, len(lines))
print(stats)
