# Desvio: o 06 e "06" seguido do 05 inteiro ("0605..."), em vez do 05 com o
# codigo trocado: todos os campos ficam deslocados dois caracteres.
from zap_base import ServidorZap, main


class Servidor(ServidorZap):
    def quadro_06(self, msg):
        return "06" + msg


if __name__ == "__main__":
    main(Servidor)
