/** The markup of the two demo pages; their behaviour is in `src/client/`. */

const DIGITS = Array.from(
  { length: 10 },
  (_, d) =>
    `<li data-digit="${d}"><span class="bar-label">${d}</span><span class="bar-track"><span class="bar-fill"></span></span><span class="bar-value">–</span></li>`,
).join('');

/** "Draw a digit": drawing pad, what the model sees, probabilities, model choice. */
export const DRAW_PAGE = {
  title: 'Draw a digit',
  script: '/src/client/draw.ts',
  body: `<h1>Draw a digit</h1>
<p class="lead">Draw a digit from 0 to 9 in the box. A network trained on MNIST with torchlet reads it here, in your browser.</p>
<div class="demo draw-demo">
  <div class="draw-pad">
    <canvas id="pad" class="pad" width="280" height="280" aria-label="Drawing area: draw a digit with the mouse, a pen or a finger"></canvas>
    <div class="controls"><button type="button" id="clear">Clear</button><span id="model-status" class="status" role="status">Loading the model…</span></div>
  </div>
  <div class="draw-result">
    <p class="prediction"><span id="prediction">–</span><small id="confidence"></small></p>
    <ol id="bars" class="bars" aria-label="Probability of each digit">${DIGITS}</ol>
    <figure class="seen"><canvas id="seen" width="28" height="28"></canvas><figcaption>What the model sees: 28×28 grey levels</figcaption></figure>
  </div>
</div>
<section class="prose">
<h2>What happens</h2>
<p>MNIST digits were made by scaling each digit's bounding box to fit 20×20 pixels (keeping its aspect ratio, so strokes become grey levels) and placing it in a 28×28 field with its centre of mass at the centre. The page does the same to your drawing, standardizes the grey levels as the model was trained, runs the network with <code>noGrad</code> and turns the ten outputs into probabilities with <code>softmax</code>.</p>
<p>The model is the export of the MNIST trainer in this repository (<code>pnpm mnist --model mlp</code>): a <code>model.safetensors</code> whose metadata names the architecture. Load another export:</p>
<p class="controls"><label class="file">Model file <input type="file" id="model-file" accept=".safetensors"></label></p>
<p>or open this page with <code>?model=&lt;url of a model.safetensors&gt;</code>.</p>
</section>`,
};

const option = (value: string, label: string, selected = false) =>
  `<option value="${value}"${selected ? ' selected' : ''}>${label}</option>`;

/** "Train in your browser": dataset and network controls, decision boundary, loss curve. */
export const PLAYGROUND_PAGE = {
  title: 'Train in your browser',
  script: '/src/client/playground.ts',
  body: `<h1>Train in your browser</h1>
<p class="lead">A multilayer perceptron learns to classify points in the plane. Change its width, depth, activation and optimizer, and watch the decision boundary and the loss while it trains.</p>
<div class="demo playground">
  <form id="config" class="panel" autocomplete="off">
    <label>Data <select name="dataset">${option('moons', 'Two moons', true)}${option('circles', 'Circles')}${option('spiral', 'Spiral (3 classes)')}</select></label>
    <label>Noise <select name="noise">${option('0', 'none')}${option('1', 'some', true)}${option('2', 'a lot')}</select></label>
    <label>Hidden units <input name="hidden" type="number" min="1" max="64" value="16"></label>
    <label>Hidden layers <input name="depth" type="number" min="1" max="4" value="2"></label>
    <label>Activation <select name="activation">${option('relu', 'ReLU')}${option('tanh', 'Tanh', true)}${option('sigmoid', 'Sigmoid')}${option('gelu', 'GELU')}${option('leakyRelu', 'LeakyReLU')}</select></label>
    <label>Optimizer <select name="optimizer">${option('sgd', 'SGD')}${option('momentum', 'SGD + momentum')}${option('adam', 'Adam', true)}${option('rmsprop', 'RMSprop')}</select></label>
    <label>Learning rate <select name="lr">${['1', '0.3', '0.1', '0.03', '0.01', '0.003', '0.001'].map((v) => option(v, v, v === '0.03')).join('')}</select></label>
    <label>Device <select name="device">${option('cpu', 'CPU', true)}${option('gpu', 'GPU (gpu.js, WebGL2)')}</select></label>
    <div class="controls">
      <button type="button" id="train" class="primary">Train</button>
      <button type="button" id="step">Step</button>
      <button type="button" id="reset">Reset</button>
    </div>
  </form>
  <div class="plots">
    <figure><canvas id="boundary" width="360" height="360"></canvas><figcaption>Decision boundary: the colour is the predicted class, paler where the network is unsure</figcaption></figure>
    <figure><canvas id="loss-curve" width="360" height="160"></canvas><figcaption>Cross-entropy loss per step</figcaption></figure>
    <dl class="stats">
      <div><dt>Step</dt><dd id="steps">0</dd></div>
      <div><dt>Loss</dt><dd id="loss">–</dd></div>
      <div><dt>Accuracy</dt><dd id="accuracy">–</dd></div>
    </dl>
  </div>
</div>
<section class="prose">
<h2>What to try</h2>
<ul>
<li><strong>Depth and width.</strong> One hidden layer of two units draws a single bent line; the spiral needs more units and layers. With no hidden layer at all a network is a linear classifier.</li>
<li><strong>Activations.</strong> ReLU gives boundaries made of straight pieces, tanh and GELU smooth ones. Sigmoid hidden units learn slowly: their gradient is at most 1/4.</li>
<li><strong>Optimizers and learning rates.</strong> Plain SGD needs a larger learning rate (try 0.3 or 1) and many steps; momentum and Adam get there sooner. Too large a rate makes the loss jump instead of falling.</li>
</ul>
<p>Every step is the training loop from the tutorials, on the whole dataset: <code>optimizer.zeroGrad()</code>, <code>nn.F.crossEntropy(model.call(x), y).backward()</code>, <code>optimizer.step()</code>.</p>
</section>`,
};
