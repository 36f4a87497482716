import { render } from 'preact'
import { App } from './app.js'
import { lang, setLang } from './i18n.js'
import './styles.css'

setLang(lang())
render(<App />, document.getElementById('app')!)
