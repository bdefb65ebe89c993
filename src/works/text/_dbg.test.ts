import { assertLinear, repeat } from './linear-cost.test-helper.ts';
function quadratic(input: string): void {
  let same = 0;
  for (let i = 0; i < input.length; i++) for (let j = i + 1; j < input.length; j++) if (input.charCodeAt(i) === input.charCodeAt(j)) same++;
  if (same < 0) throw new Error('unreachable');
}
for (let w = 0; w < 30; w++) quadratic('ab'.repeat(500));
for (let k = 0; k < 10; k++) { try { assertLinear('quadratic', repeat('ab'), quadratic, 5_000); console.log('passed?!'); } catch (e) { console.log(String(e).slice(32, 200)); } }
